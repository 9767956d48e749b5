'use client';

/**
 * Maps one outlet (to a new BigCommerce location Counterpart creates, to an existing one, or to
 * none) and changes its settings. A change that takes stock off the storefront asks first, in the
 * same dialog, and changes nothing until confirmed.
 */
import { Box, Checkbox, Flex, FormGroup, InlineMessage, Input, Modal, Select, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import type { LocationsPage, Outlet } from '@/app/api/locations/schema';
import { apiFetch, useSessionToken } from '../session';
import { reserveLabel } from './words';

type Target = 'new' | 'none' | number;
type ReserveChoice = 'none' | 'units' | 'percent';

interface Draft {
  target: Target;
  latitude: string;
  longitude: string;
  publishes: boolean;
  fulfils: boolean;
  rank: string;
  capacity: string;
  reserveKind: ReserveChoice;
  reserveValue: string;
}

const draftOf = (o: Outlet): Draft => ({
  target: o.bcLocationId ?? 'new',
  latitude: String(o.suggestedCoordinates?.latitude ?? ''),
  longitude: String(o.suggestedCoordinates?.longitude ?? ''),
  publishes: o.publishes,
  fulfils: o.fulfils,
  rank: String(o.rank),
  capacity: o.dailyCapacity === null ? '' : String(o.dailyCapacity),
  reserveKind: o.reserveKind && o.reserveValue > 0 ? o.reserveKind : 'none',
  reserveValue: o.reserveKind && o.reserveValue > 0 ? String(o.reserveValue) : '',
});

/** Whole numbers only; the field's name in the error. */
function wholeNumber(value: string, field: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new Error(`${field} must be a whole number from ${min} to ${max}.`);
  return n;
}

function coordinate(value: string, field: string, bound: number): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || Math.abs(n) > bound) throw new Error(`${field} must be a number between -${bound} and ${bound}.`);
  return n;
}

export function OutletEditor({ outlet, data, onClose, onSaved }: { outlet: Outlet; data: LocationsPage; onClose: () => void; onSaved: (text: string) => void }) {
  const token = useSessionToken();
  const [draft, setDraft] = useState<Draft>(() => draftOf(outlet));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const usedBy = (locationId: number) => data.outlets.find((o) => o.bcLocationId === locationId && o.lsOutletId !== outlet.lsOutletId)?.name;
  const options = [
    ...(outlet.bcLocationId === null || !outlet.locationCreatedByApp ? [{ value: 'new' as Target, content: `A new location for this outlet, created by Counterpart (${outlet.proposedCode})` }] : []),
    ...data.locations.map((l) => ({
      value: l.id,
      content: `${l.label} (${l.code})${l.isDefault ? ', the default location' : ''}${!l.enabled ? ', disabled in BigCommerce' : ''}${usedBy(l.id) ? `, used by ${usedBy(l.id)}` : ''}`,
      disabled: Boolean(usedBy(l.id)),
    })),
    { value: 'none' as Target, content: 'Not mapped: its stock is not sold online' },
  ];

  /** The requests the draft needs, or an error naming the field to fix. */
  const plan = () => {
    const settings: Record<string, unknown> = {};
    const rank = wholeNumber(draft.rank, 'Rank', 1, 1000);
    if (rank !== outlet.rank) settings.rank = rank;
    const capacity = draft.capacity.trim() === '' ? null : wholeNumber(draft.capacity, 'Online orders a day', 0, 100_000);
    if (capacity !== outlet.dailyCapacity) settings.dailyCapacity = capacity;
    if (draft.publishes !== outlet.publishes) settings.publishes = draft.publishes;
    if (draft.fulfils !== outlet.fulfils) settings.fulfils = draft.fulfils;
    const reserve = draft.reserveKind === 'none' ? null : { kind: draft.reserveKind, value: wholeNumber(draft.reserveValue, 'Walk-in reserve', 0, draft.reserveKind === 'percent' ? 100 : 100_000) };
    const before = outlet.reserveKind && outlet.reserveValue > 0 ? { kind: outlet.reserveKind, value: outlet.reserveValue } : null;
    if (JSON.stringify(reserve) !== JSON.stringify(before)) settings.reserve = reserve;
    let create: { latitude: number; longitude: number } | null = null;
    if (draft.target === 'new' && !(outlet.bcLocationId !== null && outlet.locationCreatedByApp)) {
      create = { latitude: coordinate(draft.latitude, 'Latitude', 90), longitude: coordinate(draft.longitude, 'Longitude', 180) };
    } else if (draft.target === 'none' && outlet.bcLocationId !== null) settings.bcLocationId = null;
    else if (typeof draft.target === 'number' && draft.target !== outlet.bcLocationId) settings.bcLocationId = draft.target;
    // What takes stock off the storefront, said before it happens.
    const losses: string[] = [];
    if (settings.bcLocationId === null) losses.push(`${outlet.name} will no longer be mapped: none of its stock is sold online, and ${outlet.locationLabel ?? 'its BigCommerce location'} is set to 0`);
    if (settings.publishes === false && outlet.bcLocationId !== null) losses.push(`${outlet.name}'s stock will be hidden online (set to 0 at ${outlet.locationLabel ?? 'its location'})`);
    if (reserve && (!before || (reserve.kind === before.kind ? reserve.value > before.value : true))) losses.push(`${reserveLabel(reserve.kind, reserve.value)} at ${outlet.name} will be kept for walk-ins and taken off the storefront`);
    return { settings, create, losses };
  };

  const apply = async () => {
    const { settings, create } = plan();
    setSaving(true);
    setError(null);
    try {
      const done: string[] = [];
      if (create) {
        await apiFetch(token, `/api/locations/outlets/${encodeURIComponent(outlet.lsOutletId)}/location`, { method: 'POST', body: JSON.stringify(create) });
        done.push(`${outlet.name} is mapped to its new BigCommerce location ${outlet.proposedCode}`);
      }
      if (Object.keys(settings).length) {
        await apiFetch(token, `/api/locations/outlets/${encodeURIComponent(outlet.lsOutletId)}`, { method: 'PATCH', body: JSON.stringify(settings) });
        done.push(`${outlet.name}'s settings are saved`);
      }
      onSaved(done.length ? `${done.join('; ')}. Stock is being published again.` : `Nothing changed for ${outlet.name}.`);
    } catch (e) {
      setConfirming(null);
      setError(`${outlet.name} was not saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const save = () => {
    setError(null);
    let losses: string[];
    try {
      losses = plan().losses;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    if (losses.length) setConfirming(`${losses.join('. ')}. Lightspeed keeps counting the stock; you can change this back at any time.`);
    else void apply();
  };

  const creating = draft.target === 'new' && !(outlet.bcLocationId !== null && outlet.locationCreatedByApp);
  const address = [outlet.address?.street1, outlet.address?.street2, outlet.address?.city, outlet.address?.state, outlet.address?.postcode, outlet.address?.countryCode].filter(Boolean).join(', ');

  return (
    <Modal
      isOpen
      header={confirming ? `Take stock of ${outlet.name} off your storefront?` : `${outlet.bcLocationId === null ? 'Map' : 'Change'} ${outlet.name}`}
      onClose={onClose}
      closeOnEscKey
      closeOnClickOutside={false}
      actions={
        confirming
          ? [
              { text: 'Cancel', variant: 'subtle', onClick: () => setConfirming(null) },
              { text: 'Save and take stock off', actionType: 'destructive', isLoading: saving, onClick: () => void apply() },
            ]
          : [
              { text: 'Cancel', variant: 'subtle', onClick: onClose },
              { text: creating ? 'Create location and save' : 'Save', isLoading: saving, onClick: save },
            ]
      }
    >
      {confirming ? (
        <Text data-testid="outlet-confirmation">{confirming}</Text>
      ) : (
        <Box data-testid="outlet-editor">
          <FormGroup>
            <Select
              label="BigCommerce location"
              options={options}
              value={draft.target}
              onOptionChange={(target: Target) => set({ target })}
              description="Where this outlet's stock appears in BigCommerce. Each outlet needs its own location."
            />
          </FormGroup>
          {creating ? (
            <Box marginBottom="medium">
              <Text>
                Counterpart creates the location <strong>{outlet.proposedCode}</strong> named “{outlet.name}” at {address || 'the outlet’s address'}. It is marked as managed by
                Counterpart, so its stock cannot be edited by hand in BigCommerce.
              </Text>
              <Flex flexGap="1rem">
                <Input label="Latitude" value={draft.latitude} onChange={(e) => set({ latitude: e.target.value })} inputMode="decimal" />
                <Input label="Longitude" value={draft.longitude} onChange={(e) => set({ longitude: e.target.value })} inputMode="decimal" />
              </Flex>
              <Text color="secondary60" marginTop="xxSmall" marginBottom="none">
                {outlet.suggestedCoordinates ? 'Found from the outlet’s postcode; correct them if needed.' : 'Lightspeed has no coordinates for this outlet: enter them.'} BigCommerce needs them for a
                physical location; Counterpart uses them to send online orders to the nearest outlet.
              </Text>
            </Box>
          ) : null}
          <FormGroup>
            <Checkbox
              label="Sells its stock online"
              checked={draft.publishes}
              onChange={() => set({ publishes: !draft.publishes })}
              description="Its sellable stock counts on your storefront. Off: it stays mapped (for pickup and history) but shows 0 online."
            />
          </FormGroup>
          <FormGroup>
            <Checkbox label="Fulfils online orders" checked={draft.fulfils} onChange={() => set({ fulfils: !draft.fulfils })} description="Online orders can be sent here to be packed and shipped." />
          </FormGroup>
          <Flex flexGap="1rem" flexWrap="wrap">
            <Box style={{ flex: '1 1 180px' }}>
              <Input
                label="Rank"
                value={draft.rank}
                onChange={(e) => set({ rank: e.target.value })}
                inputMode="numeric"
                description="When outlets are equally near an order, the lower number gets it."
              />
            </Box>
            <Box style={{ flex: '1 1 180px' }}>
              <Input
                label="Online orders a day"
                value={draft.capacity}
                onChange={(e) => set({ capacity: e.target.value })}
                inputMode="numeric"
                placeholder="No limit"
                description="At most this many online orders a day; then the next outlet takes them."
              />
            </Box>
          </Flex>
          <Flex flexGap="1rem" flexWrap="wrap" marginTop="medium">
            <Box style={{ flex: '1 1 180px' }}>
              <Select
                label="Walk-in reserve"
                options={[
                  { value: 'none' as ReserveChoice, content: 'No reserve' },
                  { value: 'units' as ReserveChoice, content: 'Units of each item' },
                  { value: 'percent' as ReserveChoice, content: 'Percent of each item' },
                ]}
                value={draft.reserveKind}
                onOptionChange={(reserveKind: ReserveChoice) => set({ reserveKind })}
                description="Kept for customers in the shop: never sold online. An item can have its own reserve on its stock page."
              />
            </Box>
            {draft.reserveKind !== 'none' ? (
              <Box style={{ flex: '1 1 180px' }}>
                <Input label={draft.reserveKind === 'percent' ? 'Percent kept' : 'Units kept'} value={draft.reserveValue} onChange={(e) => set({ reserveValue: e.target.value })} inputMode="numeric" />
              </Box>
            ) : null}
          </Flex>
          {error ? <InlineMessage type="error" marginTop="medium" messages={[{ text: error }]} data-testid="outlet-error" /> : null}
        </Box>
      )}
    </Modal>
  );
}
