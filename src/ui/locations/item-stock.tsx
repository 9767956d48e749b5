'use client';

/**
 * "Why is this item showing N?": for each variant and location, Lightspeed's on-hand, the units
 * sold online that Lightspeed has not counted yet, the walk-in reserve, what Counterpart
 * publishes and what BigCommerce holds now; the item's own walk-in reserve; and the last changes
 * with their cause and how long each took from the Lightspeed change to the BigCommerce write.
 */
import { Badge, Box, Button, Flex, FormGroup, H1, InlineMessage, Input, Panel, Select, Table, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import { refusal } from '@/core/access/permissions';
import type { ItemStock } from '@/app/api/locations/schema';
import { AppLink } from '../app-link';
import { AppNav } from '../app-nav';
import { apiFetch, useApi, useMay, useSessionToken } from '../session';
import { causeLabel, latencyLabel, reserveLabel, units, when } from './words';

type Variant = ItemStock['variants'][number];
type OutletRow = Variant['outlets'][number];

/** What became of a write, in a merchant's words. */
const OUTCOME_WORDS: Record<string, string> = {
  applied: 'written',
  refused: 'refused by BigCommerce (see Stock problems)',
  'refused-no-record': 'not yet: BigCommerce needed a first count, sent next',
  'rate-limited': 'BigCommerce asked to wait: worked out again and sent after the wait',
  unknown: 'no answer from BigCommerce: checked and sent again',
  outrun: 'not taken: an order or another change reached this stock first; worked out again from what BigCommerce holds then',
};

export function ItemStockView({ itemId }: { itemId: string }) {
  const stock = useApi<ItemStock>(`/api/locations/items/${encodeURIComponent(itemId)}`, { refreshInterval: 5_000 });
  const data = stock.data;
  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge">
      <AppNav />
      <Text marginBottom="xSmall">
        <AppLink href="/items">Enable items</AppLink> · <AppLink href="/locations">Locations</AppLink>
      </Text>
      <H1 marginBottom="none">{data ? `Stock of ${data.item.name}${data.item.sku ? ` (${data.item.sku})` : ''}` : 'Stock by location'}</H1>
      {data ? (
        <Text>
          Why BigCommerce shows what it shows, per location: <strong>On hand</strong> (Lightspeed&apos;s count) − <strong>Ordered online</strong> (sold online, not yet
          counted by Lightspeed) − <strong>Reserve</strong> (kept for walk-in customers) = <strong>Sellable</strong>. <strong>Published</strong> is what Counterpart last
          wrote to the outlet&apos;s BigCommerce location, <strong>BigCommerce</strong> what it holds now. This page refreshes by itself.
        </Text>
      ) : null}
      {stock.error ? (
        <InlineMessage
          type="error"
          marginBottom="medium"
          messages={[{ text: stock.error.status === 404 ? `There is no item ${itemId} in Counterpart's item list. Find the item on Enable items and open its stock from there.` : `Could not load the item's stock: ${stock.error.message}` }]}
        />
      ) : null}
      {!data && !stock.error ? <Text>Loading…</Text> : null}
      {data ? (
        <>
          {data.notes.map((n) => (
            <InlineMessage key={n} type="info" marginBottom="small" messages={[{ text: n }]} />
          ))}
          {data.problems.map((p) => (
            <InlineMessage
              key={`${p.lsProductId}-${p.kind}`}
              type="warning"
              marginBottom="small"
              messages={[{ text: `Stock not in sync: ${p.message} ${p.fix}${p.oneClick ? ' (one click on the Locations page, under Stock problems)' : ''}` }]}
            />
          ))}
          {data.variants.map((v) => (
            <VariantPanel key={v.lsProductId} variant={v} data={data} />
          ))}
          <ItemReserve data={data} onSaved={() => void stock.mutate()} />
          <ChangesPanel data={data} />
        </>
      ) : null}
    </Box>
  );
}

function storefrontTotal(v: Variant, mode: ItemStock['stockMode']): number | null {
  if ((mode ?? 'default-location') === 'default-location') return v.defaultLocation?.bigcommerce ?? null;
  const levels = v.outlets.filter((o) => o.bcLocationId !== null).map((o) => o.bigcommerce ?? 0);
  return levels.length ? levels.reduce((a, b) => a + b, 0) : null;
}

function VariantPanel({ variant, data }: { variant: Variant; data: ItemStock }) {
  const mode = data.stockMode ?? 'default-location';
  const total = storefrontTotal(variant, data.stockMode);
  const title = data.variants.length > 1 ? `${variant.name}${variant.sku ? ` (${variant.sku})` : ''}` : 'By location';
  const rows: (OutletRow & { key: string })[] = variant.outlets.map((o) => ({ ...o, key: o.lsOutletId }));
  return (
    <Panel header={title} data-testid={`variant-${variant.lsProductId}`}>
      <Text bold>
        {variant.bcVariantId === null
          ? 'Not linked to BigCommerce: no stock is published for it.'
          : total === null
            ? 'BigCommerce has no stock record for it yet.'
            : `Your storefront shows ${units(total)} (${mode === 'default-location' ? 'the default location' : 'the sum of its locations'}).`}
      </Text>
      <Table
        data-testid="item-stock-table"
        columns={[
          { header: 'Outlet', hash: 'outlet', render: (o) => <OutletName row={o} /> },
          { header: 'On hand', hash: 'onHand', render: (o) => o.onHand, align: 'right' },
          { header: 'Ordered online', hash: 'committed', render: (o) => (o.committed ? `− ${o.committed}` : '0'), align: 'right' },
          { header: 'Reserve', hash: 'reserved', render: (o) => (o.reserved ? `− ${o.reserved}` : '0'), align: 'right' },
          { header: 'Sellable', hash: 'available', render: (o) => (o.bcLocationId === null ? 'not sold online' : o.publishes ? `= ${o.available}` : 'hidden: 0'), align: 'right' },
          { header: 'Published', hash: 'published', render: (o) => (o.published ?? '—'), align: 'right' },
          { header: 'BigCommerce', hash: 'bigcommerce', render: (o) => <BigCommerceLevel row={o} />, align: 'right' },
        ]}
        items={rows}
      />
      {variant.defaultLocation && mode === 'default-location' ? (
        <Text marginTop="small" marginBottom="none" data-testid="default-location-line">
          Default location (what the storefront sells): Counterpart published {variant.defaultLocation.published ?? '—'}, BigCommerce holds {variant.defaultLocation.bigcommerce ?? '—'}. That is the
          sellable stock of every outlet that sells online{variant.unrouted ? `, less ${units(variant.unrouted)} ordered online and not yet sent to an outlet` : ''}.
        </Text>
      ) : null}
      {rows
        .filter((o) => o.shortfall > 0)
        .map((o) => (
          <Text key={`short-${o.lsOutletId}`} marginTop="small" marginBottom="none" data-testid="shortfall-line">
            {o.outlet} has {units(o.shortfall)} more committed to online orders than it can fill from its own stock; as many are held back from the stock sold online until stock comes in or the orders are settled.
          </Text>
        ))}
      {variant.unrouted && mode === 'aggregated' ? (
        <Text marginTop="small" marginBottom="none">
          {units(variant.unrouted)} ordered online and not yet sent to an outlet are held back.
        </Text>
      ) : null}
    </Panel>
  );
}

function OutletName({ row }: { row: OutletRow }) {
  return (
    <Box>
      <Text bold marginBottom="none">
        {row.outlet}
      </Text>
      {row.bcLocationId === null ? <Badge label="not mapped" variant="warning" /> : null}
    </Box>
  );
}

function BigCommerceLevel({ row }: { row: OutletRow }) {
  if (row.bcLocationId === null) return <>—</>;
  if (row.bigcommerce === null) return <>no record yet</>;
  const expected = row.publishes ? row.available : 0;
  if (row.bigcommerce === expected) return <>{row.bigcommerce}</>;
  // A difference with an order in flight BigCommerce has not told us about is held on purpose.
  const explained = row.heldUnexplained > 0 && row.bigcommerce + row.heldUnexplained === expected;
  return (
    <Box>
      <Text marginBottom="none">{row.bigcommerce}</Text>
      <Text color={explained ? 'secondary60' : 'warning'} marginBottom="none">
        {explained ? `${units(row.heldUnexplained)} held for an order not heard of yet` : `being set to ${expected}`}
      </Text>
    </Box>
  );
}

function ItemReserve({ data, onSaved }: { data: ItemStock; onSaved: () => void }) {
  const token = useSessionToken();
  const mayManage = useMay('locations.manage');
  const outlets = data.variants[0]?.outlets ?? [];
  const [outletId, setOutletId] = useState<string>('all');
  const [kind, setKind] = useState<'units' | 'percent'>('units');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const outletName = (id: string | null) => (id === null ? 'every outlet' : (outlets.find((o) => o.lsOutletId === id)?.outlet ?? id));
  const save = async (reserve: { kind: 'units' | 'percent'; value: number } | null, lsOutletId: string | null) => {
    setBusy(true);
    setNote(null);
    try {
      await apiFetch(token, `/api/locations/items/${encodeURIComponent(data.item.lsItemId)}/reserve`, { method: 'PUT', body: JSON.stringify({ lsOutletId, reserve }) });
      setNote({ ok: true, text: reserve ? `Saved: ${outletName(lsOutletId)} keeps ${reserveLabel(reserve.kind, reserve.value).replace(' of each item', '')} of this item for walk-ins. Stock is being published again.` : `Removed: ${outletName(lsOutletId)} uses its default reserve for this item again.` });
      onSaved();
    } catch (e) {
      setNote({ ok: false, text: `The reserve was not saved: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };
  const submit = () => {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isInteger(n) || n < 0 || (kind === 'percent' && n > 100)) {
      setNote({ ok: false, text: kind === 'percent' ? 'Enter a whole percentage from 0 to 100.' : 'Enter a whole number of units, 0 or more.' });
      return;
    }
    void save({ kind, value: n }, outletId === 'all' ? null : outletId);
  };
  return (
    <Panel header="Walk-in reserve for this item" data-testid="item-reserve">
      <Text>Units of this item kept for customers in the shop, instead of each outlet&apos;s default reserve (set on the Locations page). A reserve is never sold online.</Text>
      {data.reserves.length ? (
        <Box marginBottom="medium">
          {data.reserves.map((r) => (
            <Flex key={r.lsOutletId ?? 'all'} alignItems="center" flexGap="1rem" marginBottom="xSmall">
              <Text marginBottom="none">
                {outletName(r.lsOutletId)}: {reserveLabel(r.kind, r.value).replace(' of each item', '')}
              </Text>
              <Button variant="subtle" disabled={!mayManage || busy} onClick={() => void save(null, r.lsOutletId)}>
                Remove
              </Button>
            </Flex>
          ))}
        </Box>
      ) : (
        <Text color="secondary60">This item has no reserve of its own: each outlet&apos;s default applies.</Text>
      )}
      <Flex flexGap="1rem" alignItems="flex-end" flexWrap="wrap">
        <Box style={{ minWidth: 220 }}>
          <FormGroup>
            <Select label="At" options={[{ value: 'all', content: 'Every outlet' }, ...outlets.map((o) => ({ value: o.lsOutletId, content: o.outlet }))]} value={outletId} onOptionChange={(v: string) => setOutletId(v)} />
          </FormGroup>
        </Box>
        <Box style={{ minWidth: 180 }}>
          <FormGroup>
            <Select
              label="Keep"
              options={[
                { value: 'units' as const, content: 'Units' },
                { value: 'percent' as const, content: 'Percent' },
              ]}
              value={kind}
              onOptionChange={(v: 'units' | 'percent') => setKind(v)}
            />
          </FormGroup>
        </Box>
        <Box style={{ width: 120 }}>
          <Input label={kind === 'percent' ? 'Percent' : 'Units'} value={value} onChange={(e) => setValue(e.target.value)} inputMode="numeric" />
        </Box>
        <Button variant="secondary" disabled={!mayManage || busy} isLoading={busy} onClick={submit}>
          Save reserve
        </Button>
      </Flex>
      {!mayManage ? (
        <Text color="secondary60" marginTop="small" marginBottom="none">
          {refusal('locations.manage')}
        </Text>
      ) : null}
      {note ? <InlineMessage type={note.ok ? 'success' : 'error'} marginTop="small" messages={[{ text: note.text }]} /> : null}
    </Panel>
  );
}

function ChangesPanel({ data }: { data: ItemStock }) {
  const locationName = (id: number) => (id === 1 ? 'Default location' : (data.variants[0]?.outlets.find((o) => o.bcLocationId === id)?.outlet ?? `Location #${id}`));
  const variantName = (id: string) => data.variants.find((v) => v.lsProductId === id)?.name ?? id;
  const rows = data.changes.map((c, i) => ({ ...c, key: i }));
  return (
    <Panel header="Last changes in BigCommerce" data-testid="item-changes">
      <Text>Every level Counterpart wrote for this item, newest first, with what set it off and how long it took from the change in Lightspeed to the write in BigCommerce.</Text>
      <Table
        columns={[
          { header: 'When', hash: 'at', render: (c) => <span style={{ whiteSpace: 'nowrap' }}>{when(c.at)}</span> },
          ...(data.variants.length > 1 ? [{ header: 'Variant', hash: 'lsProductId' as const, render: (c: (typeof rows)[number]) => variantName(c.lsProductId) }] : []),
          { header: 'Location', hash: 'bcLocationId', render: (c) => locationName(c.bcLocationId) },
          { header: 'Level', hash: 'to', render: (c) => <span style={{ whiteSpace: 'nowrap' }}>{`${c.from ?? 'none'} → ${c.to}`}</span> },
          { header: 'Cause', hash: 'cause', render: (c) => causeLabel(c.cause) },
          { header: 'Took', hash: 'latencyMs', render: (c) => <span style={{ whiteSpace: 'nowrap' }}>{latencyLabel(c.latencyMs)}</span>, align: 'right' },
          { header: 'Result', hash: 'outcome', render: (c) => OUTCOME_WORDS[c.outcome] ?? c.outcome },
        ]}
        items={rows}
        emptyComponent={<Text>No stock written for this item yet.</Text>}
      />
    </Panel>
  );
}
