'use client';

/**
 * Enable Items: every Lightspeed item with its online status. Toggle items (a family is one
 * item: its variants become the BigCommerce product's variants), or the whole filtered set, then
 * Save: the changes apply as a run with progress and a result per item. The run lives on the
 * server: a reloaded page or a second tab finds it and follows it.
 */
import { AppLink } from '../app-link';
import { AppNav } from '../app-nav';
import { Box, Button, Flex, FormGroup, H1, InlineMessage, Input, Modal, OffsetPagination, Panel, ProgressBar, Select, Switch, Table, Text } from '@bigcommerce/big-design';
import { useEffect, useMemo, useState } from 'react';
import { refusal } from '@/core/access/permissions';
import { apiFetch, useApi, useMay, useSessionToken } from '../session';
import { SyncBadge } from './sync-badge';
import type { Conflict, ItemFilter, ItemRow, ItemsPage, LatestRun, Run, RunResult, StatusFilter } from './types';

const STATUS_OPTIONS: { value: StatusFilter; content: string }[] = [
  { value: 'enabled', content: 'Selling online' },
  { value: 'disabled', content: 'In-store only' },
  { value: 'error', content: 'Sync errors' },
  { value: 'conflict', content: 'Needs a decision' },
  { value: 'inactive', content: 'Inactive in Lightspeed' },
];

/** A finished save stays on the page this long after a reload, so its results can be read. */
const RECENT_RUN_MS = 10 * 60 * 1000;

function query(filter: ItemFilter, page: number, limit: number): string {
  const params = new URLSearchParams({ page: String(page), limit: String(limit) });
  for (const [key, value] of Object.entries(filter) as [string, string | undefined][]) if (value) params.set(key, value);
  return `/api/items?${params.toString()}`;
}

const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

function describeFilter(filter: ItemFilter): string {
  const parts = [
    filter.q ? `search “${filter.q}”` : null,
    filter.type ? `type ${filter.type}` : null,
    filter.brand ? `brand ${filter.brand}` : null,
    filter.tag ? `tag ${filter.tag}` : null,
    filter.status ? `status “${STATUS_OPTIONS.find((o) => o.value === filter.status)?.content}”` : null,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** What the merchant can do about a result that did not sync. */
function fixFor(result: RunResult): string {
  if (result.outcome === 'synced') return '';
  if (result.reason?.startsWith('conflict:')) return 'Choose the BigCommerce product under “need a decision” above.';
  if (result.outcome === 'pending') return 'Counterpart finishes this by itself on its next sync; nothing to do.';
  return 'Press Save again to retry. If it fails again, Activity shows BigCommerce’s full answer.';
}

interface Confirmation {
  header: string;
  body: string;
  confirm: string;
  destructive: boolean;
  run: () => Promise<void>;
}

export function EnableItems({ focusProductId }: { focusProductId: string | null }) {
  const token = useSessionToken();
  const mayEnable = useMay('items.enable');
  const mayBulk = useMay('items.bulk');
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<ItemFilter>({});
  const [page, setPage] = useState(1);
  const [limit, setLimit] = useState(25);
  const [pending, setPending] = useState<Map<string, boolean>>(new Map());
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => {
      setFilter((f) => ({ ...f, q: search.trim() || undefined }));
      setPage(1);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  const list = useApi<ItemsPage>(query(filter, page, limit), {
    refreshInterval: (data) => (data && data.index.state !== 'idle' ? 2_000 : data?.items.some((i) => i.saving) ? 1_500 : 0),
  });
  const focus = useApi<ItemsPage>(focusProductId ? `/api/items?id=${encodeURIComponent(focusProductId)}` : null);
  const conflicts = useApi<{ conflicts: Conflict[] }>('/api/items/conflicts');
  // A save started before this page was opened (a reload, another tab) is followed too.
  const latest = useApi<LatestRun>('/api/items/runs/latest', { revalidateOnFocus: false });
  useEffect(() => {
    const run = latest.data?.run;
    if (runId || !run) return;
    const active = run.state === 'queued' || run.state === 'running';
    const recent = run.finishedAt !== null && Date.now() - new Date(run.finishedAt).getTime() < RECENT_RUN_MS;
    if (active || recent) setRunId(run.runId);
  }, [latest.data, runId]);
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

  const submit = async (body: unknown, what: string) => {
    setError(null);
    setSubmitting(true);
    try {
      const { runId: id } = await apiFetch<{ runId: string }>(token, '/api/items/changes', { method: 'POST', body: JSON.stringify(body) });
      setRunId(id);
      // The server holds the new choices now: show them (switches stay where the merchant put
      // them, marked as saving) before letting go of the local ones.
      await refreshList();
      setPending(new Map());
    } catch (e) {
      setError(`${what} ${e instanceof Error ? e.message : String(e)}. Nothing was changed; press Save again to retry.`);
    } finally {
      setSubmitting(false);
    }
  };

  const rows = useMemo(() => list.data?.items ?? [], [list.data]);
  const known = useMemo(() => new Map([...rows, ...(focus.data?.items ?? [])].map((i) => [i.id, i])), [rows, focus.data]);
  const save = () => {
    const changes = [...pending].map(([id, enabled]) => ({ id, enabled }));
    const hiding = changes.filter((c) => !c.enabled).map((c) => known.get(c.id)?.name ?? c.id);
    const go = () => submit({ changes }, `Your ${changes.length === 1 ? 'change was' : `${changes.length} changes were`} not saved:`);
    if (hiding.length === 0) return void go();
    const names = hiding.slice(0, 5).join(', ') + (hiding.length > 5 ? `, and ${hiding.length - 5} more` : '');
    setConfirmation({
      header: `Save ${changes.length === 1 ? '1 change' : `${changes.length} changes`}?`,
      body:
        `${items(hiding.length)} will be hidden from your storefronts in BigCommerce: ${names}. Nothing is deleted; turning ${hiding.length === 1 ? 'it on again restores its' : 'them on again restores their'} visibility.` +
        (changes.length > hiding.length ? ` ${items(changes.length - hiding.length)} will be enabled for online sale.` : ''),
      confirm: 'Save and hide',
      destructive: true,
      run: go,
    });
  };
  const bulk = (enabled: boolean) => {
    const total = list.data?.total ?? 0;
    const scope = describeFilter(filter);
    setConfirmation(
      enabled
        ? {
            header: `Enable ${items(total)} for online sale?`,
            body: `Counterpart creates or links a BigCommerce product for ${total === 1 ? 'the 1 item that matches' : `each of the ${items(total)} that match`}${scope || ' (all items)'}. New products arrive hidden, in the category “Imported from Lightspeed”, until you make them visible in BigCommerce.`,
            confirm: `Enable ${items(total)}`,
            destructive: false,
            run: () => submit({ filter, enabled }, `Enabling ${items(total)} did not start:`),
          }
        : {
            header: `Disable ${items(total)} for online sale?`,
            body: `The BigCommerce ${total === 1 ? 'product of the 1 item that matches' : `products of the ${items(total)} that match`}${scope || ' (all items)'} will be hidden from your storefronts. Nothing is deleted: enabling ${total === 1 ? 'it again restores its' : 'them again restores their'} visibility.`,
            confirm: `Disable ${items(total)}`,
            destructive: true,
            run: () => submit({ filter, enabled }, `Disabling ${items(total)} did not start:`),
          },
    );
  };
  const confirm = async () => {
    const chosen = confirmation;
    setConfirmation(null);
    await chosen?.run();
  };

  const facets = list.data?.facets;
  const focused = focus.data?.items[0];
  const running = run.data && (run.data.state === 'queued' || run.data.state === 'running');
  const busy = Boolean(running) || submitting;

  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge">
      <AppNav />
      <H1 marginBottom="none">Enable items</H1>
      <Text>Choose which Lightspeed items sell online. New products arrive in BigCommerce hidden, in the category “Imported from Lightspeed”, until you make them visible.</Text>

      {list.data && list.data.index.state !== 'idle' ? (
        <Panel header="Reading your Lightspeed catalog" data-testid="index-progress">
          <ProgressBar />
          <Text marginTop="small">{items(list.data.index.indexed)} read so far… They appear below as they arrive; you can leave this page and come back.</Text>
        </Panel>
      ) : null}
      {list.data && list.data.index.lightspeed !== 'active' ? (
        <InlineMessage
          type="warning"
          marginBottom="medium"
          messages={[
            {
              text:
                list.data.index.lightspeed === 'reconnect_required'
                  ? 'Lightspeed needs to be reconnected: the items below may be out of date until you press Reconnect Lightspeed on the overview.'
                  : list.data.index.indexed
                    ? 'Lightspeed is disconnected: the items below are as Counterpart last read them. Reconnect Lightspeed on the overview to follow its changes again.'
                    : 'Connect Lightspeed on the overview (Connect Lightspeed) and your items appear here.',
            },
          ]}
        />
      ) : null}
      {error ? <InlineMessage type="error" messages={[{ text: error }]} marginBottom="medium" /> : null}
      {list.error ? <InlineMessage type="error" messages={[{ text: `Could not load your items: ${list.error.message}. Reload the page to try again.` }]} marginBottom="medium" /> : null}

      {focused ? (
        <Panel header="Opened from Lightspeed" data-testid="focused-item">
          <ItemLine item={focused} enabled={isEnabled(focused)} onToggle={() => toggle(focused)} locked={!mayEnable || busy} />
        </Panel>
      ) : focusProductId && focus.data ? (
        <InlineMessage
          type="warning"
          messages={[{ text: `Lightspeed product ${focusProductId} is not in Counterpart's item list yet. If you added it just now, wait a minute or press “Check for changes now” on the overview.` }]}
          marginBottom="medium"
        />
      ) : null}

      {conflicts.data?.conflicts.length ? (
        <Panel header={`${items(conflicts.data.conflicts.length)} need a decision`} data-testid="conflicts">
          {conflicts.data.conflicts.map((c) => (
            <ConflictLine key={c.id} conflict={c} onResolved={(id) => (setRunId(id), void Promise.all([conflicts.mutate(), list.mutate()]))} />
          ))}
        </Panel>
      ) : null}

      {run.data ? <RunPanel run={run.data} /> : null}

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
        <Flex flexGap="0.75rem" marginTop="medium" alignItems="center" flexWrap="wrap">
          <Button onClick={save} disabled={!mayEnable || pending.size === 0 || busy} isLoading={submitting} data-testid="save">
            Save{pending.size ? ` (${pending.size} change${pending.size === 1 ? '' : 's'})` : ''}
          </Button>
          <Button variant="secondary" onClick={() => bulk(true)} disabled={!mayBulk || !list.data?.total || busy}>
            Enable all {list.data?.total ?? 0} shown
          </Button>
          <Button variant="subtle" onClick={() => bulk(false)} disabled={!mayBulk || !list.data?.total || busy}>
            Disable all {list.data?.total ?? 0} shown
          </Button>
        </Flex>
        {!mayEnable || !mayBulk ? (
          <Text color="secondary60" marginTop="small" marginBottom="none" data-testid="items-refusal">
            {!mayEnable ? refusal('items.enable') : refusal('items.bulk')}
          </Text>
        ) : null}
      </Panel>

      <Panel>
        <Table
          data-testid="items-table"
          columns={[
            {
              header: 'Online',
              hash: 'enabled',
              render: (item) => (
                <Switch aria-label={`Sell ${item.name} online`} checked={isEnabled(item)} disabled={!item.active || item.saving || !mayEnable || busy} onChange={() => toggle(item)} />
              ),
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
                  {!item.saving && item.sync.reason && (item.sync.state === 'error' || item.sync.state === 'pending' || item.sync.state === 'conflict') ? (
                    <Text color={item.sync.state === 'error' ? 'danger' : 'secondary60'} marginBottom="none" marginTop="xxSmall" data-testid="sync-reason">
                      {item.sync.reason}
                    </Text>
                  ) : null}
                  {!item.saving && item.sync.state === 'synced' && item.stockProblem ? (
                    <Text color="warning" marginBottom="none" marginTop="xxSmall" data-testid="stock-problem">
                      {item.stockProblem}
                    </Text>
                  ) : null}
                  {item.sync.bigcommerceProductId !== null ? (
                    <Text marginBottom="none" marginTop="xxSmall">
                      <AppLink href={`/items/${encodeURIComponent(item.id)}/stock`} data-testid="stock-link">
                        Stock by location
                      </AppLink>
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

      <Modal
        isOpen={confirmation !== null}
        header={confirmation?.header}
        variant="dialog"
        onClose={() => setConfirmation(null)}
        closeOnEscKey
        closeOnClickOutside={false}
        actions={[
          { text: 'Cancel', variant: 'subtle', onClick: () => setConfirmation(null) },
          { text: confirmation?.confirm ?? 'Confirm', actionType: confirmation?.destructive ? 'destructive' : 'normal', onClick: () => void confirm() },
        ]}
      >
        <Text data-testid="confirmation-body">{confirmation?.body}</Text>
      </Modal>
    </Box>
  );
}

function RunPanel({ run }: { run: Run }) {
  const running = run.state === 'queued' || run.state === 'running';
  const problems = run.results.filter((r) => r.outcome !== 'synced').length;
  return (
    <Panel header={running ? 'Saving…' : run.state === 'failed' ? 'Save failed' : problems ? 'Saved, with problems' : 'Saved'} data-testid="run-panel">
      {running && run.error ? <InlineMessage type="warning" marginBottom="small" messages={[{ text: run.error }]} /> : null}
      {run.state === 'failed' ? (
        <InlineMessage
          type="error"
          marginBottom="small"
          messages={[{ text: `The save stopped: ${run.error ?? 'no reason was given'}. Items not listed below were not changed in BigCommerce; press Save again to retry them.` }]}
        />
      ) : null}
      <ProgressBar percent={run.total ? Math.round((run.done / run.total) * 100) : 0} />
      <Text marginTop="small" data-testid="run-progress">
        {run.done} of {items(run.total)}
      </Text>
      {run.results.length ? (
        <Table
          columns={[
            { header: 'Item', hash: 'name', render: ({ name }) => name },
            { header: 'Result', hash: 'outcome', render: ({ outcome }) => (outcome === 'pending' ? 'waiting' : outcome) },
            { header: 'Why', hash: 'reason', render: ({ reason }) => reason ?? '' },
            { header: 'What to do', hash: 'id', render: (result) => fixFor(result) },
          ]}
          items={run.results}
        />
      ) : null}
    </Panel>
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

function ItemLine({ item, enabled, onToggle, locked }: { item: ItemRow; enabled: boolean; onToggle: () => void; locked: boolean }) {
  return (
    <Flex alignItems="center" flexGap="1rem">
      <Switch aria-label={`Sell ${item.name} online (opened from Lightspeed)`} checked={enabled} disabled={!item.active || item.saving || locked} onChange={onToggle} />
      <Text bold marginBottom="none">
        {item.name}
      </Text>
      <Text marginBottom="none">{item.sku}</Text>
      <SyncBadge item={item} />
      {item.sync.reason ? <Text color="secondary60" marginBottom="none">{item.sync.reason}</Text> : null}
    </Flex>
  );
}

function ConflictLine({ conflict, onResolved }: { conflict: Conflict; onResolved: (runId: string) => void }) {
  const token = useSessionToken();
  const mayMap = useMay('catalog.mappings');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const resolve = async (body: unknown, what: string) => {
    setBusy(true);
    setError(null);
    try {
      const { runId } = await apiFetch<{ runId: string }>(token, `/api/items/conflicts/${conflict.id}/resolve`, { method: 'POST', body: JSON.stringify(body) });
      onResolved(runId);
    } catch (e) {
      setError(`Could not ${what} for “${conflict.name}”: ${e instanceof Error ? e.message : String(e)}. Reload the page to see the choices again.`);
    } finally {
      setBusy(false);
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
          <Button
            key={c.bigcommerceProductId}
            variant="secondary"
            disabled={!mayMap || busy}
            onClick={() => void resolve({ action: 'link', bigcommerceProductId: c.bigcommerceProductId }, `link it to “${c.name}”`)}
          >
            Link to “{c.name}” ({c.sku})
          </Button>
        ))}
        <Button variant="subtle" disabled={!mayMap || busy} onClick={() => void resolve({ action: 'create' }, 'create a new product')}>
          Create a new product
        </Button>
      </Flex>
      {!mayMap ? (
        <Text color="secondary60" marginTop="xxSmall" marginBottom="none">
          {refusal('catalog.mappings')}
        </Text>
      ) : null}
      {error ? <InlineMessage type="error" messages={[{ text: error }]} marginTop="xSmall" /> : null}
    </Box>
  );
}
