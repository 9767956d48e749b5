'use client';

/**
 * Locations: every Lightspeed outlet (stores, back rooms, warehouses) with the BigCommerce
 * location its stock is published to and the merchant's choices for it; how the storefront sells
 * stock; the stock check (drift repair) with its progress and last result; and the stock problems
 * with their fixes. Everything it shows comes from the server, so a reload finds a running check.
 */
import { Badge, Box, Button, Flex, H1, InlineMessage, Panel, Radio, Table, Text } from '@bigcommerce/big-design';
import { useEffect, useState } from 'react';
import { refusal } from '@/core/access/permissions';
import type { Fixed, LocationSettings, LocationsPage as LocationsData, Outlet, Problem } from '@/app/api/locations/schema';
import { AppLink } from '../app-link';
import { AppNav } from '../app-nav';
import { apiFetch, useApi, useMay, useSessionToken } from '../session';
import type { ActionMessage } from '../use-action';
import { OutletEditor } from './outlet-editor';
import { StockCheck } from './stock-check';
import { reserveLabel } from './words';

export function LocationsPage() {
  const page = useApi<LocationsData>('/api/locations', { revalidateOnFocus: false });
  const [editing, setEditing] = useState<Outlet | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const data = page.data;
  const refresh = async () => void (await page.mutate());

  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge">
      <AppNav />
      <H1 marginBottom="none">Locations</H1>
      <Text>
        Lightspeed counts your stock at every outlet. Here you choose which outlets sell online and where their stock appears in BigCommerce. Counterpart publishes
        what each outlet can sell: Lightspeed&apos;s on-hand, less units already sold online that Lightspeed has not counted yet, less what you keep for walk-in
        customers.
      </Text>

      {page.error ? <InlineMessage type="error" marginBottom="medium" messages={[{ text: `Could not load your locations: ${page.error.message}. Reload the page to try again.` }]} /> : null}
      {!data && !page.error ? <Text>Loading your outlets and BigCommerce locations…</Text> : null}
      {message ? <InlineMessage type={message.type} marginBottom="medium" messages={[{ text: message.text }]} onClose={() => setMessage(null)} data-testid="locations-message" /> : null}

      {data ? (
        <>
          {data.lightspeed === 'not-connected' ? (
            <InlineMessage type="warning" marginBottom="medium" messages={[{ text: 'Lightspeed is not connected: the outlets below are as Counterpart last saw them. Connect Lightspeed on the overview.' }]} />
          ) : null}
          {data.warnings.length ? (
            <Box marginBottom="medium" data-testid="mapping-warnings">
              {data.warnings.map((w, i) => (
                <InlineMessage key={`${w.kind}-${w.lsOutletId ?? i}`} type={w.kind === 'nothing-mapped' || w.kind === 'location-missing' ? 'error' : 'warning'} marginBottom="xSmall" messages={[{ text: w.message }]} />
              ))}
            </Box>
          ) : null}

          <StockModePanel data={data} onSaved={(text) => (setMessage({ type: 'success', text }), void refresh())} />
          <OutletsPanel data={data} onEdit={setEditing} />
          <StockCheck data={data} onFinished={() => void refresh()} />
          <ProblemsPanel problems={data.problems} onFixed={(text) => (setMessage({ type: 'success', text }), void refresh())} />
        </>
      ) : null}

      {data && editing ? (
        <OutletEditor
          outlet={editing}
          data={data}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setMessage({ type: 'success', text });
            void refresh();
          }}
        />
      ) : null}
    </Box>
  );
}

const MODES = [
  {
    value: 'default-location' as const,
    label: 'The default location (BigCommerce’s standard)',
    text: 'Your storefront sells what BigCommerce’s default location holds. Counterpart puts there the total of every outlet that publishes stock online, and each outlet’s own stock on its location for in-store pickup.',
  },
  {
    value: 'aggregated' as const,
    label: 'The sum of the enabled locations (aggregated stock)',
    text: 'Only if BigCommerce support switched your store to it. Your storefront sells the sum of the locations: Counterpart puts each outlet’s stock on its own location and nothing on the default location, so no unit is counted twice.',
  },
];

function StockModePanel({ data, onSaved }: { data: LocationsData; onSaved: (text: string) => void }) {
  const token = useSessionToken();
  const mayChange = useMay('settings.change');
  const [mode, setMode] = useState(data.stockMode);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setMode(data.stockMode), [data.stockMode]);
  const save = async () => {
    if (!mode) return;
    setSaving(true);
    setError(null);
    try {
      await apiFetch<LocationSettings>(token, '/api/locations/settings', { method: 'PUT', body: JSON.stringify({ stockMode: mode }) });
      onSaved(`Saved: your storefront sells ${mode === 'aggregated' ? 'the sum of the enabled locations' : 'the default location’s stock'}. Stock is being published again for every item.`);
    } catch (e) {
      setError(`The storefront stock setting was not saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Panel header="Which stock does your storefront sell?" data-testid="stock-mode">
      {data.stockMode === null ? (
        <InlineMessage type="info" marginBottom="small" messages={[{ text: 'Not chosen yet: Counterpart publishes for the default location (BigCommerce’s standard) until you choose.' }]} />
      ) : null}
      {MODES.map((m) => (
        <Box key={m.value} marginBottom="small">
          <Radio name="stock-mode" label={m.label} description={m.text} checked={mode === m.value} disabled={!mayChange} onChange={() => setMode(m.value)} />
        </Box>
      ))}
      <Flex alignItems="center" flexGap="1rem">
        <Button onClick={() => void save()} isLoading={saving} disabled={!mayChange || !mode || mode === data.stockMode}>
          Save storefront stock
        </Button>
        {!mayChange ? <Text color="secondary60" marginBottom="none">{refusal('settings.change')}</Text> : null}
      </Flex>
      {error ? <InlineMessage type="error" marginTop="small" messages={[{ text: error }]} /> : null}
    </Panel>
  );
}

function OutletsPanel({ data, onEdit }: { data: LocationsData; onEdit: (o: Outlet) => void }) {
  const mayManage = useMay('locations.manage');
  const limit = data.locationLimit;
  const active = data.locations.filter((l) => l.enabled).length;
  return (
    <Panel header="Lightspeed outlets" data-testid="outlets">
      <Text>
        Every outlet in Lightspeed, back rooms and warehouses included. An outlet that is not mapped keeps its stock for the shop floor: none of it is sold online.
        {limit !== null ? ` Your BigCommerce ${data.plan ?? ''} plan allows ${limit} active locations; ${active} are in use (the default location counts).` : ''}
      </Text>
      <Table
        data-testid="outlets-table"
        columns={[
          {
            header: 'Outlet',
            hash: 'name',
            render: (o) => (
              <Box>
                <Text bold marginBottom="none">
                  {o.name}
                </Text>
                <Text color="secondary60" marginBottom="none">
                  {[o.address?.street1, o.address?.city, o.address?.postcode].filter(Boolean).join(', ') || 'No address in Lightspeed'}
                </Text>
              </Box>
            ),
          },
          {
            header: 'BigCommerce location',
            hash: 'bcLocationId',
            render: (o) =>
              o.bcLocationId === null ? (
                <Box>
                  <Badge label="not mapped" variant="warning" />
                  <Text color="secondary60" marginBottom="none" marginTop="xxSmall">
                    Not sold online
                  </Text>
                </Box>
              ) : (
                <Box data-testid={`mapped-${o.lsOutletId}`}>
                  <Text marginBottom="none">{o.locationLabel ?? `Location #${o.bcLocationId} (missing)`}</Text>
                  <Text color="secondary60" marginBottom="none">
                    {data.locations.find((l) => l.id === o.bcLocationId)?.code ?? ''}
                    {o.locationCreatedByApp ? ' · kept by Counterpart' : ''}
                  </Text>
                </Box>
              ),
          },
          { header: 'Sells online', hash: 'publishes', render: (o) => (o.bcLocationId === null ? '—' : o.publishes ? 'Yes' : 'No (stock hidden)') },
          { header: 'Fulfils online orders', hash: 'fulfils', render: (o) => (o.fulfils ? `Yes, rank ${o.rank}${o.dailyCapacity !== null ? `, up to ${o.dailyCapacity} a day` : ''}` : 'No') },
          { header: 'Walk-in reserve', hash: 'reserveKind', render: (o) => reserveLabel(o.reserveKind, o.reserveValue) },
          {
            header: '',
            hash: 'lsOutletId',
            render: (o) => (
              <Button variant="secondary" disabled={!mayManage} onClick={() => onEdit(o)} aria-label={`${o.bcLocationId === null ? 'Map' : 'Change'} ${o.name}`}>
                {o.bcLocationId === null ? 'Map…' : 'Change…'}
              </Button>
            ),
          },
        ]}
        items={data.outlets}
        emptyComponent={<Text>No outlets yet: connect Lightspeed on the overview and its outlets appear here.</Text>}
      />
      {!mayManage ? (
        <Text color="secondary60" marginTop="small" marginBottom="none">
          {refusal('locations.manage')}
        </Text>
      ) : null}
    </Panel>
  );
}

function ProblemsPanel({ problems, onFixed }: { problems: Problem[]; onFixed: (text: string) => void }) {
  const token = useSessionToken();
  const mayFix = useMay('locations.manage');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fix = async (p: Problem) => {
    setBusy(`${p.lsProductId}:${p.kind}`);
    setError(null);
    try {
      const fixed = await apiFetch<Fixed>(token, `/api/locations/problems/${encodeURIComponent(p.lsProductId)}/fix`, { method: 'POST', body: JSON.stringify({ kind: p.kind }) });
      const item = p.name ?? p.sku ?? 'the item';
      onFixed(
        'tracking' in fixed
          ? `Fixed: BigCommerce now tracks the stock of ${item} ${fixed.tracking === 'variant' ? 'per variant' : 'on the product'}, and its stock is being published.`
          : `Fixed: BigCommerce keeps no safety stock of ${item} at location #${fixed.bcLocationId} now, and its stock is being published.`,
      );
    } catch (e) {
      setError(`${p.name ?? p.lsProductId} was not fixed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Panel header={problems.length ? `Stock problems (${problems.length})` : 'Stock problems'} data-testid="stock-problems">
      {error ? <InlineMessage type="error" marginBottom="small" messages={[{ text: error }]} /> : null}
      {problems.length === 0 ? (
        <Text marginBottom="none">None: BigCommerce accepts the stock of every linked item.</Text>
      ) : (
        <Table
          columns={[
            {
              header: 'Item',
              hash: 'name',
              render: (p) => (
                <Box>
                  <Text bold marginBottom="none">
                    {p.name ?? p.lsProductId}
                  </Text>
                  {p.sku ? <Text color="secondary60" marginBottom="none">{p.sku}</Text> : null}
                  {p.lsItemId ? <AppLink href={`/items/${encodeURIComponent(p.lsItemId)}/stock`}>Stock by location</AppLink> : null}
                </Box>
              ),
            },
            { header: 'Problem', hash: 'message', render: (p) => p.message },
            { header: 'Fix', hash: 'fix', render: (p) => p.fix },
            {
              header: '',
              hash: 'oneClick',
              render: (p) =>
                p.oneClick ? (
                  <Button variant="secondary" isLoading={busy === `${p.lsProductId}:${p.kind}`} disabled={!mayFix || busy !== null} onClick={() => void fix(p)}>
                    Fix in BigCommerce
                  </Button>
                ) : null,
            },
          ]}
          items={problems}
        />
      )}
    </Panel>
  );
}
