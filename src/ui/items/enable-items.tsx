'use client';

/**
 * Enable Items: every Lightspeed item with its online status. Toggle items (a family is one
 * item: its variants become the BigCommerce product's variants), or the whole filtered set, then
 * Save: the changes apply as a run with progress and a result per item.
 */
import { Box, Button, Flex, FormGroup, H1, InlineMessage, Input, Link, OffsetPagination, Panel, ProgressBar, Select, Switch, Table, Text } from '@bigcommerce/big-design';
import { useEffect, useMemo, useState } from 'react';
import { apiFetch, useApi, useSessionToken, withSession } from '../session';
import { SyncBadge } from './sync-badge';
import type { Conflict, ItemFilter, ItemRow, ItemsPage, Run, StatusFilter } from './types';

const STATUS_OPTIONS: { value: StatusFilter; content: string }[] = [
  { value: 'enabled', content: 'Selling online' },
  { value: 'disabled', content: 'In-store only' },
  { value: 'error', content: 'Sync errors' },
  { value: 'conflict', content: 'Needs a decision' },
  { value: 'inactive', content: 'Inactive in Lightspeed' },
];

function query(filter: ItemFilter, page: number, limit: number): string {
  const params = new URLSearchParams({ page: String(page), limit: String(limit) });
  for (const [key, value] of Object.entries(filter) as [string, string | undefined][]) if (value) params.set(key, value);
  return `/api/items?${params.toString()}`;
}

export function EnableItems({ focusProductId }: { focusProductId: string | null }) {
  const token = useSessionToken();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<ItemFilter>({});
  const [page, setPage] = useState(1);
  const [limit, setLimit] = useState(25);
  const [pending, setPending] = useState<Map<string, boolean>>(new Map());
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      setFilter((f) => ({ ...f, q: search.trim() || undefined }));
      setPage(1);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  const list = useApi<ItemsPage>(query(filter, page, limit), { refreshInterval: (data) => (data?.index.state === 'indexing' ? 2_000 : 0) });
  const focus = useApi<ItemsPage>(focusProductId ? `/api/items?id=${encodeURIComponent(focusProductId)}` : null);
  const conflicts = useApi<{ conflicts: Conflict[] }>('/api/items/conflicts');
  // Follow a running save until it ends, then refresh the list.
  const run = useApi<Run>(runId ? `/api/items/runs/${runId}` : null, { refreshInterval: (data) => (data?.state === 'done' || data?.state === 'failed' ? 0 : 700) });
  const finished = run.data?.state === 'done' || run.data?.state === 'failed';
  const { mutate: refreshList } = list;
  const { mutate: refreshConflicts } = conflicts;
  useEffect(() => {
    if (finished) void Promise.all([refreshList(), refreshConflicts()]);
  }, [finished, refreshList, refreshConflicts]);

  const isEnabled = (item: ItemRow) => pending.get(item.id) ?? item.enabled;
  const toggle = (item: ItemRow) =>
    setPending((current) => {
      const next = new Map(current);
      const wanted = !isEnabled(item);
      if (wanted === item.enabled) next.delete(item.id);
      else next.set(item.id, wanted);
      return next;
    });

  const submit = async (body: unknown) => {
    setError(null);
    try {
      const { runId: id } = await apiFetch<{ runId: string }>(token, '/api/items/changes', { method: 'POST', body: JSON.stringify(body) });
      setPending(new Map());
      setRunId(id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const save = () => submit({ changes: [...pending].map(([id, enabled]) => ({ id, enabled })) });
  const bulk = (enabled: boolean) => submit({ filter, enabled });

  const facets = list.data?.facets;
  const focused = focus.data?.items[0];
  const rows = useMemo(() => list.data?.items ?? [], [list.data]);
  const running = run.data && (run.data.state === 'queued' || run.data.state === 'running');

  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge">
      <Flex justifyContent="space-between" alignItems="center">
        <H1 marginBottom="none">Enable items</H1>
        <Link href={withSession('/', token)}>Back to overview</Link>
      </Flex>
      <Text>Choose which Lightspeed items sell online. New products arrive in BigCommerce hidden, in the category “Imported from Lightspeed”, until you make them visible.</Text>

      {list.data?.index.state === 'indexing' ? (
        <Panel header="Reading your Lightspeed catalog" data-testid="index-progress">
          <ProgressBar />
          <Text marginTop="small">{list.data.index.indexed} items indexed so far…</Text>
        </Panel>
      ) : null}
      {error ? <InlineMessage type="error" messages={[{ text: error }]} marginBottom="medium" /> : null}
      {list.error ? <InlineMessage type="error" messages={[{ text: `Could not load items: ${list.error.message}` }]} marginBottom="medium" /> : null}

      {focused ? (
        <Panel header="Opened from Lightspeed" data-testid="focused-item">
          <ItemLine item={focused} enabled={isEnabled(focused)} onToggle={() => toggle(focused)} />
        </Panel>
      ) : focusProductId && focus.data ? (
        <InlineMessage type="warning" messages={[{ text: `Lightspeed product ${focusProductId} is not in the catalog index yet.` }]} marginBottom="medium" />
      ) : null}

      {conflicts.data?.conflicts.length ? (
        <Panel header={`${conflicts.data.conflicts.length} item(s) need a decision`} data-testid="conflicts">
          {conflicts.data.conflicts.map((c) => (
            <ConflictLine key={c.id} conflict={c} onResolved={() => void Promise.all([conflicts.mutate(), list.mutate()])} />
          ))}
        </Panel>
      ) : null}

      {run.data ? (
        <Panel header={running ? 'Saving…' : run.data.state === 'failed' ? 'Save failed' : 'Saved'} data-testid="run-panel">
          {running && run.data.error ? <InlineMessage type="warning" marginBottom="small" messages={[{ text: run.data.error }]} /> : null}
          {run.data.state === 'failed' ? (
            <InlineMessage type="error" marginBottom="small" messages={[{ text: `The save stopped: ${run.data.error ?? 'unknown error'}. Items not listed below were not changed in BigCommerce; Save again to retry them.` }]} />
          ) : null}
          <ProgressBar percent={run.data.total ? Math.round((run.data.done / run.data.total) * 100) : 0} />
          <Text marginTop="small" data-testid="run-progress">
            {run.data.done} of {run.data.total} items
          </Text>
          {run.data.results.length ? (
            <Table
              columns={[
                { header: 'Item', hash: 'name', render: ({ name }) => name },
                { header: 'Result', hash: 'outcome', render: ({ outcome }) => outcome },
                { header: 'Why', hash: 'reason', render: ({ reason }) => reason ?? '' },
              ]}
              items={run.data.results}
            />
          ) : null}
        </Panel>
      ) : null}

      <Panel>
        <Flex flexGap="1rem" flexWrap="wrap" alignItems="flex-end">
          <Box style={{ flex: '2 1 240px' }}>
            <Input label="Search" placeholder="Name, SKU or barcode" value={search} onChange={(e) => setSearch(e.target.value)} />
          </Box>
          <FilterSelect label="Product type" options={facets?.types} value={filter.type} onChange={(type) => (setFilter({ ...filter, type }), setPage(1))} />
          <FilterSelect label="Brand" options={facets?.brands} value={filter.brand} onChange={(brand) => (setFilter({ ...filter, brand }), setPage(1))} />
          <FilterSelect label="Tag" options={facets?.tags} value={filter.tag} onChange={(tag) => (setFilter({ ...filter, tag }), setPage(1))} />
          <Box style={{ flex: '1 1 160px' }}>
            <FormGroup>
              <Select
                label="Status"
                placeholder="Any"
                options={STATUS_OPTIONS}
                value={filter.status}
                onOptionChange={(status: StatusFilter) => (setFilter({ ...filter, status }), setPage(1))}
                action={{ content: 'Any status', onActionClick: () => setFilter({ ...filter, status: undefined }) }}
              />
            </FormGroup>
          </Box>
        </Flex>
        <Flex flexGap="0.75rem" marginTop="medium" alignItems="center">
          <Button onClick={() => void save()} disabled={pending.size === 0 || Boolean(running)} data-testid="save">
            Save{pending.size ? ` (${pending.size} change${pending.size === 1 ? '' : 's'})` : ''}
          </Button>
          <Button variant="secondary" onClick={() => void bulk(true)} disabled={!list.data?.total || Boolean(running)}>
            Enable all {list.data?.total ?? 0} shown
          </Button>
          <Button variant="subtle" onClick={() => void bulk(false)} disabled={!list.data?.total || Boolean(running)}>
            Disable all {list.data?.total ?? 0} shown
          </Button>
        </Flex>
      </Panel>

      <Panel>
        <Table
          data-testid="items-table"
          columns={[
            {
              header: 'Online',
              hash: 'enabled',
              render: (item) => <Switch aria-label={`Sell ${item.name} online`} checked={isEnabled(item)} disabled={!item.active} onChange={() => toggle(item)} />,
            },
            {
              header: 'Item',
              hash: 'name',
              render: (item) => (
                <Box>
                  <Text bold marginBottom="none">
                    {item.name}
                  </Text>
                  {item.variants.length ? (
                    <Text color="secondary60" marginBottom="none">
                      {item.variants.length} variants: {item.variants.map((v) => v.options.map((o) => o.value).join(' / ')).join(', ')}
                    </Text>
                  ) : null}
                </Box>
              ),
            },
            { header: 'SKU', hash: 'sku', render: ({ sku }) => sku },
            { header: 'Barcode', hash: 'barcodes', render: ({ barcodes }) => barcodes[0] ?? '—' },
            { header: 'Type', hash: 'type', render: ({ type }) => type ?? '—' },
            { header: 'Brand', hash: 'brand', render: ({ brand }) => brand ?? '—' },
            {
              header: 'Status',
              hash: 'sync',
              render: (item) => (
                <Box>
                  <SyncBadge item={item} />
                  {item.sync.reason && (item.sync.state === 'error' || item.sync.state === 'pending' || item.sync.state === 'conflict') ? (
                    <Text color={item.sync.state === 'error' ? 'danger' : 'secondary60'} marginBottom="none" marginTop="xxSmall" data-testid="sync-reason">
                      {item.sync.reason}
                    </Text>
                  ) : null}
                </Box>
              ),
            },
          ]}
          items={rows}
          emptyComponent={<Text>{list.isLoading ? 'Loading…' : 'No items match.'}</Text>}
        />
        {list.data ? (
          <OffsetPagination
            currentPage={page}
            itemsPerPage={limit}
            itemsPerPageOptions={[25, 50, 100]}
            totalItems={list.data.total}
            onPageChange={setPage}
            onItemsPerPageChange={(n) => (setLimit(n), setPage(1))}
            marginTop="medium"
          />
        ) : null}
      </Panel>
    </Box>
  );
}

function FilterSelect({ label, options, value, onChange }: { label: string; options: string[] | undefined; value: string | undefined; onChange: (v: string | undefined) => void }) {
  return (
    <Box style={{ flex: '1 1 160px' }}>
      <FormGroup>
        <Select
          label={label}
          placeholder="Any"
          options={(options ?? []).map((o) => ({ value: o, content: o }))}
          value={value}
          onOptionChange={(v: string) => onChange(v)}
          action={{ content: `Any ${label.toLowerCase()}`, onActionClick: () => onChange(undefined) }}
        />
      </FormGroup>
    </Box>
  );
}

function ItemLine({ item, enabled, onToggle }: { item: ItemRow; enabled: boolean; onToggle: () => void }) {
  return (
    <Flex alignItems="center" flexGap="1rem">
      <Switch aria-label={`Sell ${item.name} online (opened from Lightspeed)`} checked={enabled} disabled={!item.active} onChange={onToggle} />
      <Text bold marginBottom="none">
        {item.name}
      </Text>
      <Text marginBottom="none">{item.sku}</Text>
      <SyncBadge item={item} />
      {item.sync.reason ? <Text color="secondary60" marginBottom="none">{item.sync.reason}</Text> : null}
    </Flex>
  );
}

function ConflictLine({ conflict, onResolved }: { conflict: Conflict; onResolved: () => void }) {
  const token = useSessionToken();
  const [error, setError] = useState<string | null>(null);
  const resolve = async (body: unknown) => {
    try {
      await apiFetch(token, `/api/items/conflicts/${conflict.id}/resolve`, { method: 'POST', body: JSON.stringify(body) });
      onResolved();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Box marginBottom="medium">
      <Text bold marginBottom="xxSmall">
        {conflict.name}
      </Text>
      <Text marginBottom="xSmall">{conflict.reason}</Text>
      <Flex flexGap="0.5rem" flexWrap="wrap">
        {conflict.candidates.map((c) => (
          <Button key={c.bigcommerceProductId} variant="secondary" onClick={() => void resolve({ action: 'link', bigcommerceProductId: c.bigcommerceProductId })}>
            Link to “{c.name}” ({c.sku})
          </Button>
        ))}
        <Button variant="subtle" onClick={() => void resolve({ action: 'create' })}>
          Create a new product
        </Button>
      </Flex>
      {error ? <InlineMessage type="error" messages={[{ text: error }]} marginTop="xSmall" /> : null}
    </Box>
  );
}
