'use client';

/**
 * Orders: the online orders Counterpart handled, newest first — where each was routed and why,
 * the Lightspeed sale each store got and how far it is, what went wrong with a Retry — and the
 * routing settings.
 */
import { Badge, Box, Button, Flex, FormGroup, H1, InlineMessage, Panel, Select, Table, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import type { OrderRow, OrdersPage, RetryStarted } from '@/app/api/orders/schema';
import { refusal } from '@/core/access/permissions';
import { AppNav } from '../app-nav';
import { apiFetch, useApi, useMay, useSessionToken } from '../session';
import { OrderStateBadge, SaleBadge } from './order-badges';
import { RoutingSettingsPanel } from './routing-settings';

type Show = 'all' | 'attention';

const SHOW: { value: Show; content: string }[] = [
  { value: 'all', content: 'All recent orders' },
  { value: 'attention', content: 'Only orders that need you' },
];

export function Orders() {
  const [show, setShow] = useState<Show>('all');
  const [older, setOlder] = useState<{ rows: OrderRow[]; next: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const token = useSessionToken();
  const latest = useApi<OrdersPage>(`/api/orders?limit=25&show=${show}`, { refreshInterval: 5_000 });
  const rows = [...(latest.data?.orders ?? []), ...(older?.rows ?? []).filter((o) => !latest.data?.orders.some((l) => l.id === o.id))];
  const next = older ? older.next : (latest.data?.next ?? null);

  const loadOlder = async () => {
    if (next === null) return;
    try {
      const page = await apiFetch<OrdersPage>(token, `/api/orders?limit=25&show=${show}&before=${next}`);
      setOlder({ rows: [...(older?.rows ?? []), ...page.orders], next: page.next });
    } catch (e) {
      setError(`Could not load older orders: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge">
      <AppNav />
      <H1 marginBottom="none">Orders</H1>
      <Text>
        Online orders from your storefront, the store each one was sent to in Lightspeed and why, and how far it is. Store staff fulfil them in Lightspeed as usual; when they
        dispatch or hand an order over, BigCommerce is updated.
      </Text>

      <Panel header="Recent online orders" data-testid="orders-list">
        <Box style={{ maxWidth: 320 }} marginBottom="medium">
          <FormGroup>
            <Select
              label="Show"
              options={SHOW}
              value={show}
              onOptionChange={(value: Show) => {
                setShow(value);
                setOlder(null);
              }}
            />
          </FormGroup>
        </Box>
        {latest.error ? <InlineMessage type="error" messages={[{ text: `Could not load the orders: ${latest.error.message}` }]} marginBottom="medium" /> : null}
        {error ? <InlineMessage type="error" messages={[{ text: error }]} marginBottom="medium" /> : null}
        <Table
          keyField="id"
          columns={[
            { header: 'Order', hash: 'order', width: '16%', render: (o) => <OrderCell order={o} /> },
            { header: 'Items', hash: 'items', width: '18%', render: (o) => <ItemsCell order={o} /> },
            { header: 'Routed to', hash: 'routing', width: '30%', render: (o) => <RoutingCell order={o} /> },
            { header: 'In Lightspeed', hash: 'sales', width: '18%', render: (o) => <SalesCell order={o} /> },
            { header: 'Status', hash: 'state', width: '18%', render: (o) => <StatusCell order={o} onRetried={() => void latest.mutate()} /> },
          ]}
          items={rows}
          emptyComponent={
            <Text>{latest.isLoading ? 'Loading…' : show === 'attention' ? 'No order needs you right now.' : 'No online orders yet. Orders placed on your storefront appear here within a minute.'}</Text>
          }
        />
        {next !== null ? (
          <Button variant="secondary" marginTop="medium" onClick={() => void loadOlder()}>
            Load older orders
          </Button>
        ) : null}
      </Panel>

      <RoutingSettingsPanel />
    </Box>
  );
}

function OrderCell({ order }: { order: OrderRow }) {
  return (
    <Box data-testid={`order-${order.id}`}>
      <Text bold marginBottom="none">
        #{order.id}
      </Text>
      <Text color="secondary60" marginBottom="none">
        {order.placedAt ? new Date(order.placedAt).toLocaleString() : 'time unknown'}
      </Text>
      <Text color="secondary60" marginBottom="none">
        {order.channel}
        {order.total ? ` · ${Number(order.total).toFixed(2)}` : ''}
      </Text>
    </Box>
  );
}

function ItemsCell({ order }: { order: OrderRow }) {
  return (
    <Box>
      {order.lines.map((l, i) => (
        <Text key={`${l.sku}-${i}`} marginBottom="none" color={l.synced ? undefined : 'secondary60'} title={l.synced ? undefined : 'Not synced with Lightspeed: left to BigCommerce'}>
          {l.quantity} × {l.name}
        </Text>
      ))}
      <Flex alignItems="center" flexGap="0.25rem" marginTop="xxSmall">
        <Badge label={order.fulfilment === 'pickup' ? 'pickup' : 'shipping'} variant="secondary" />
        <Text color="secondary60" marginBottom="none">
          {order.fulfilment === 'pickup' ? (order.pickupLocation ?? '') : (order.destination ?? '')}
        </Text>
      </Flex>
    </Box>
  );
}

function RoutingCell({ order }: { order: OrderRow }) {
  if (!order.routing) {
    return (
      <Text color="secondary60" marginBottom="none">
        {order.state === 'waiting' ? 'Routed once paid' : order.state === 'unmanaged' ? '—' : 'Not routed yet'}
      </Text>
    );
  }
  return (
    <Box data-testid={`routing-${order.id}`}>
      <Text marginBottom="xxSmall">{order.routing.summary}</Text>
      {order.routing.reasons.map((r) => (
        <Text key={r} color="secondary60" marginBottom="none">
          {r}
        </Text>
      ))}
    </Box>
  );
}

function SalesCell({ order }: { order: OrderRow }) {
  if (order.sales.length === 0) return <Text color="secondary60">No sale yet</Text>;
  return (
    <Box data-testid={`sales-${order.id}`}>
      {order.sales.map((s) => (
        <Box key={s.outletId} marginBottom="xSmall" data-testid={`sale-${order.id}-${s.outletId}`}>
          <Text bold marginBottom="none">
            {s.outletName}
          </Text>
          <Flex alignItems="center" flexGap="0.25rem" flexWrap="wrap">
            <Text marginBottom="none">{s.invoiceNumber ? `Sale ${s.invoiceNumber}` : 'Sale'}</Text>
            <SaleBadge sale={s} pickup={order.fulfilment === 'pickup'} />
            {s.backorder ? <Badge label="backorder" variant="warning" title="Not in stock anywhere: this store orders it in" /> : null}
          </Flex>
        </Box>
      ))}
    </Box>
  );
}

function StatusCell({ order, onRetried }: { order: OrderRow; onRetried: () => void }) {
  const token = useSessionToken();
  const mayRetry = useMay('orders.manage');
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const retry = async () => {
    setPending(true);
    setResult(null);
    try {
      await apiFetch<RetryStarted>(token, `/api/orders/${order.id}/retry`, { method: 'POST' });
      setResult({ ok: true, text: `Trying order #${order.id} again now.` });
      onRetried();
    } catch (e) {
      setResult({ ok: false, text: `Order #${order.id} was not retried: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setPending(false);
    }
  };
  const showRetry = order.canRetry && (order.state === 'error' || order.flagged);
  return (
    <Box data-testid={`status-${order.id}`}>
      <Flex alignItems="center" flexGap="0.25rem" flexWrap="wrap">
        <OrderStateBadge order={order} />
        {order.flagged && order.state !== 'error' ? <Badge label="needs attention" variant="warning" /> : null}
      </Flex>
      <Text color="secondary60" marginBottom="none" marginTop="xxSmall">
        BigCommerce: {order.status.name}
      </Text>
      {order.attention ? (
        <Text color={order.state === 'error' ? 'danger' : 'warning'} marginBottom="none" marginTop="xxSmall" data-testid={`attention-${order.id}`}>
          {order.attention}
        </Text>
      ) : null}
      {showRetry ? (
        <Button
          variant="secondary"
          marginTop="xSmall"
          isLoading={pending}
          disabled={!mayRetry}
          title={mayRetry ? undefined : refusal('orders.manage')}
          onClick={() => void retry()}
          data-testid={`retry-${order.id}`}
        >
          Retry
        </Button>
      ) : null}
      {showRetry && !mayRetry ? (
        <Text color="secondary60" marginBottom="none">
          {refusal('orders.manage')}
        </Text>
      ) : null}
      {result ? <InlineMessage type={result.ok ? 'success' : 'error'} messages={[{ text: result.text }]} marginTop="xSmall" /> : null}
    </Box>
  );
}
