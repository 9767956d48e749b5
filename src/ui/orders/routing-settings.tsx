'use client';

/**
 * Routing settings: which stores fulfil online orders, in which preference and how many a day;
 * what happens to an order no single store can fill; how shipping reaches Lightspeed; whether
 * refunded items go back into stock. The server checks everything again and logs the change.
 */
import { Box, Button, Checkbox, Flex, FormGroup, InlineMessage, Input, Panel, Select, Switch, Table, Text } from '@bigcommerce/big-design';
import { useEffect, useRef, useState } from 'react';
import type { RoutingSettings, RoutingSettingsPatch } from '@/app/api/orders/schema';
import { refusal } from '@/core/access/permissions';
import { apiFetch, useApi, useMay, useSessionToken } from '../session';

interface OutletDraft {
  fulfils: boolean;
  rank: string;
  capacity: string;
}

interface Draft {
  outlets: Record<string, OutletDraft>;
  splitPolicy: RoutingSettings['splitPolicy'];
  backorderOutletId: string | null;
  shippingMode: RoutingSettings['shippingMode'];
  shippingSku: string;
  returnStockOnRefund: boolean;
}

const draftOf = (s: RoutingSettings): Draft => ({
  outlets: Object.fromEntries(s.outlets.map((o) => [o.id, { fulfils: o.fulfils, rank: String(o.rank), capacity: o.dailyCapacity === null ? '' : String(o.dailyCapacity) }])),
  splitPolicy: s.splitPolicy,
  backorderOutletId: s.backorderOutletId,
  shippingMode: s.shippingMode,
  shippingSku: s.shippingProduct?.sku ?? '',
  returnStockOnRefund: s.returnStockOnRefund,
});

/** What changed, as the route takes it; a message naming the field when a number is not one. */
function patchOf(saved: RoutingSettings, draft: Draft): { patch: RoutingSettingsPatch; problem: string | null } {
  const patch: RoutingSettingsPatch = {};
  const outlets: NonNullable<RoutingSettingsPatch['outlets']> = [];
  for (const o of saved.outlets) {
    const d = draft.outlets[o.id];
    if (!d) continue;
    const rank = Number(d.rank);
    if (!Number.isInteger(rank) || rank < 1 || rank > 1000) return { patch, problem: `${o.name}: the preference must be a whole number from 1 to 1000` };
    const capacity = d.capacity.trim() === '' ? null : Number(d.capacity);
    if (capacity !== null && (!Number.isInteger(capacity) || capacity < 0)) return { patch, problem: `${o.name}: orders a day must be a whole number (leave it empty for no limit)` };
    const change = {
      ...(d.fulfils !== o.fulfils ? { fulfils: d.fulfils } : {}),
      ...(rank !== o.rank ? { rank } : {}),
      ...(capacity !== o.dailyCapacity ? { dailyCapacity: capacity } : {}),
    };
    if (Object.keys(change).length > 0) outlets.push({ id: o.id, ...change });
  }
  if (outlets.length > 0) patch.outlets = outlets;
  if (draft.splitPolicy !== saved.splitPolicy) patch.splitPolicy = draft.splitPolicy;
  if (draft.backorderOutletId !== saved.backorderOutletId) patch.backorderOutletId = draft.backorderOutletId;
  if (draft.shippingMode !== saved.shippingMode) patch.shippingMode = draft.shippingMode;
  const sku = draft.shippingSku.trim();
  if (sku !== (saved.shippingProduct?.sku ?? '')) patch.shippingSku = sku === '' ? null : sku;
  if (draft.returnStockOnRefund !== saved.returnStockOnRefund) patch.returnStockOnRefund = draft.returnStockOnRefund;
  return { patch, problem: null };
}

export function RoutingSettingsPanel() {
  const token = useSessionToken();
  const mayChange = useMay('orders.manage');
  // Refreshed for today's counts; what the merchant is editing is never overwritten by a refresh.
  const { data, error, mutate } = useApi<RoutingSettings>('/api/orders/settings', { refreshInterval: 15_000 });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const shown = useRef<RoutingSettings | null>(null);

  useEffect(() => {
    if (!data) return;
    setDraft((current) => (current === null || shown.current === null || JSON.stringify(current) === JSON.stringify(draftOf(shown.current)) ? draftOf(data) : current));
    shown.current = data;
  }, [data]);

  const changes = data && draft ? patchOf(data, draft) : null;
  const dirty = changes !== null && (changes.problem !== null || Object.keys(changes.patch).length > 0);
  const setOutlet = (id: string, change: Partial<OutletDraft>) => setDraft((d) => (d ? { ...d, outlets: { ...d.outlets, [id]: { ...d.outlets[id]!, ...change } } } : d));

  const save = async () => {
    if (!changes) return;
    setResult(null);
    if (changes.problem) return setResult({ ok: false, text: changes.problem });
    setSaving(true);
    try {
      const saved = await apiFetch<RoutingSettings>(token, '/api/orders/settings', { method: 'PUT', body: JSON.stringify(changes.patch) });
      shown.current = saved;
      setDraft(draftOf(saved));
      await mutate(saved, { revalidate: false });
      setResult({ ok: true, text: 'Saved. New orders are routed with these settings; orders already booked stay where they are.' });
    } catch (e) {
      setResult({ ok: false, text: `The routing settings were not saved: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setSaving(false);
    }
  };

  const outletOptions = (data?.outlets ?? []).map((o) => ({ value: o.id, content: o.name }));
  return (
    <Panel header="How online orders are routed" data-testid="routing-settings">
      <Text>
        A pickup order goes to the store of its pickup location. Any other order goes to a store that fulfils online orders and has room today: one that has everything
        first, the nearest to the customer, then your preference (1 is preferred).
      </Text>
      {error ? <InlineMessage type="error" messages={[{ text: `Could not load the routing settings: ${error.message}` }]} marginBottom="medium" /> : null}
      {!mayChange ? <InlineMessage type="info" messages={[{ text: refusal('orders.manage') }]} marginBottom="medium" /> : null}
      {data && draft ? (
        <>
          <Table
            keyField="id"
            columns={[
              {
                header: 'Store (Lightspeed outlet)',
                hash: 'name',
                render: (o) => (
                  <Box>
                    <Text marginBottom="none">{o.name}</Text>
                    <Text color="secondary60" marginBottom="none">
                      {o.location === null ? 'Not on a BigCommerce location: no pickups here' : `BigCommerce location #${o.location}`}
                    </Text>
                  </Box>
                ),
              },
              {
                header: 'Fulfils online orders',
                hash: 'fulfils',
                render: (o) => (
                  <Switch aria-label={`${o.name} fulfils online orders`} checked={draft.outlets[o.id]?.fulfils ?? false} disabled={!mayChange} onChange={() => setOutlet(o.id, { fulfils: !draft.outlets[o.id]?.fulfils })} />
                ),
              },
              {
                header: 'Preference',
                hash: 'rank',
                render: (o) => (
                  <Box style={{ maxWidth: 90 }}>
                    <Input aria-label={`Preference of ${o.name}`} type="number" min={1} max={1000} value={draft.outlets[o.id]?.rank ?? ''} disabled={!mayChange} onChange={(e) => setOutlet(o.id, { rank: e.target.value })} />
                  </Box>
                ),
              },
              {
                header: 'Orders a day',
                hash: 'capacity',
                render: (o) => (
                  <Box style={{ maxWidth: 120 }}>
                    <Input aria-label={`Online orders a day at ${o.name}`} type="number" min={0} placeholder="no limit" value={draft.outlets[o.id]?.capacity ?? ''} disabled={!mayChange} onChange={(e) => setOutlet(o.id, { capacity: e.target.value })} />
                  </Box>
                ),
              },
              { header: 'Today', hash: 'today', align: 'right', render: (o) => (o.dailyCapacity === null ? `${o.ordersToday}` : `${o.ordersToday} of ${o.dailyCapacity}`) },
            ]}
            items={data.outlets}
            emptyComponent={<Text>No Lightspeed outlets yet: connect Lightspeed on the Overview page.</Text>}
          />
          <Flex flexGap="2rem" flexWrap="wrap" marginTop="large">
            <Box style={{ minWidth: 320, flex: 1 }}>
              <FormGroup>
                <Select
                  label="When no single store has everything"
                  options={[
                    { value: 'split' as const, content: 'Split it across the fewest stores' },
                    { value: 'backorder' as const, content: 'Send it whole to the backorder store' },
                  ]}
                  value={draft.splitPolicy}
                  disabled={!mayChange}
                  onOptionChange={(v: Draft['splitPolicy']) => setDraft({ ...draft, splitPolicy: v })}
                />
              </FormGroup>
              <FormGroup>
                <Select
                  label="Backorder store"
                  description="Takes what no store has in stock, to order it in. The order is flagged for you."
                  placeholder="None"
                  options={outletOptions}
                  value={draft.backorderOutletId ?? undefined}
                  disabled={!mayChange}
                  onOptionChange={(v: string) => setDraft({ ...draft, backorderOutletId: v })}
                  action={{ content: 'None', onActionClick: () => setDraft({ ...draft, backorderOutletId: null }) }}
                />
              </FormGroup>
            </Box>
            <Box style={{ minWidth: 320, flex: 1 }}>
              <FormGroup>
                <Select
                  label="Shipping in the Lightspeed sale"
                  options={[
                    { value: 'note' as const, content: 'A note on the sale (method and amount)' },
                    { value: 'line' as const, content: 'A line of a shipping product' },
                  ]}
                  value={draft.shippingMode}
                  disabled={!mayChange}
                  onOptionChange={(v: Draft['shippingMode']) => setDraft({ ...draft, shippingMode: v })}
                />
              </FormGroup>
              {draft.shippingMode === 'line' ? (
                <FormGroup>
                  <Input
                    label="SKU of the shipping product in Lightspeed"
                    description={data.shippingProduct ? `Now: ${data.shippingProduct.name}` : 'A product you created in Lightspeed for shipping charges.'}
                    value={draft.shippingSku}
                    disabled={!mayChange}
                    onChange={(e) => setDraft({ ...draft, shippingSku: e.target.value })}
                  />
                </FormGroup>
              ) : null}
              <FormGroup>
                <Checkbox
                  label="Refunded items go back into the store's stock"
                  checked={draft.returnStockOnRefund}
                  disabled={!mayChange}
                  onChange={() => setDraft({ ...draft, returnStockOnRefund: !draft.returnStockOnRefund })}
                />
              </FormGroup>
            </Box>
          </Flex>
          <Flex alignItems="center" flexGap="1rem" marginTop="medium">
            <Button onClick={() => void save()} isLoading={saving} disabled={!mayChange || !dirty} data-testid="save-routing">
              Save routing
            </Button>
            {result ? <InlineMessage type={result.ok ? 'success' : 'error'} messages={[{ text: result.text }]} /> : null}
          </Flex>
        </>
      ) : (
        <Text>{error ? '' : 'Loading…'}</Text>
      )}
    </Panel>
  );
}
