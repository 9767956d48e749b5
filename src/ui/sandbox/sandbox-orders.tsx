'use client';

/**
 * The sandbox control panel's order list: the store's recent orders with the merchant's Cancel
 * and Refund actions. Cancel sets the Cancelled status (stock comes back only as the store's
 * refund/cancel stock setting says); Refund refunds whatever is left, through the same refund code
 * as the Orders API (no stock comes back). Both fire the webhooks BigCommerce fires.
 */
import { Badge, Box, Button, Flex, InlineMessage, Panel, Table, Text } from '@bigcommerce/big-design';
import { useEffect, useMemo, useState } from 'react';
import useSWR from 'swr';
import { money, type OrderSummary, storefrontClient } from './storefront-client';

const CANCELLED = 5;
const REFUNDED = 4;
const INCOMPLETE = 0;

function statusVariant(statusId: number): 'success' | 'danger' | 'warning' | 'secondary' {
  if (statusId === CANCELLED || statusId === REFUNDED) return 'danger';
  if (statusId === INCOMPLETE || statusId === 14) return 'warning';
  if ([2, 10, 11].includes(statusId)) return 'success';
  return 'secondary';
}

export function SandboxOrders({ controlBase, storeHash, version }: { controlBase: string; storeHash: string; version: number }) {
  const client = useMemo(() => storefrontClient(controlBase, storeHash), [controlBase, storeHash]);
  const orders = useSWR(['sandbox-orders', storeHash], () => client.orders(), { refreshInterval: 5_000 });
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const { mutate } = orders;
  useEffect(() => {
    if (version > 0) void mutate();
  }, [version, mutate]);

  const act = async (label: string, action: () => Promise<string>) => {
    setBusy(label);
    setMessage(null);
    try {
      setMessage({ type: 'success', text: await action() });
    } catch (error) {
      setMessage({ type: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(null);
      await mutate();
    }
  };
  const cancel = (o: OrderSummary) => act(`cancel-${o.id}`, async () => (await client.cancel(o.id), `Order #${o.id} cancelled.`));
  const refund = (o: OrderSummary) =>
    act(`refund-${o.id}`, async () => {
      const { refund: r, order } = await client.refund(o.id);
      return `Refunded ${money(r.total_amount)} on order #${o.id}; it is now ${order.status}.`;
    });

  return (
    <Panel header="Orders" data-testid="orders-panel">
      {message ? (
        <Box marginBottom="medium" data-testid="orders-message" data-type={message.type}>
          <InlineMessage type={message.type} messages={[{ text: message.text }]} onClose={() => setMessage(null)} />
        </Box>
      ) : null}
      {orders.error && !orders.data ? <Text color="danger">The orders could not be loaded: {orders.error instanceof Error ? orders.error.message : String(orders.error)}</Text> : null}
      <Table
        data-testid="orders"
        itemName="Orders"
        keyField="id"
        items={(orders.data ?? []).slice(0, 20)}
        emptyComponent={<Text color="secondary60">No orders yet: place one on the storefront.</Text>}
        columns={[
          { header: 'Order', hash: 'id', render: (o) => `#${o.id}` },
          { header: 'Status', hash: 'status', render: (o) => <Badge label={o.status} variant={statusVariant(o.status_id)} data-testid="order-status" /> },
          { header: 'Items', hash: 'items', render: (o) => o.products.map((p) => `${p.quantity} × ${p.sku || p.name}`).join(', ') },
          { header: 'Delivery', hash: 'delivery', render: (o) => (o.fulfilment.type === 'pickup' ? `Pickup at ${o.fulfilment.location}` : `Ship to ${o.fulfilment.city}`) },
          { header: 'Total', hash: 'total', align: 'right', render: (o) => money(o.total_inc_tax) },
          { header: 'Refunded', hash: 'refunded', align: 'right', render: (o) => (o.refunded_amount > 0 ? money(o.refunded_amount) : '—') },
          {
            header: '',
            hash: 'actions',
            align: 'right',
            render: (o) => (
              <Flex flexGap="0.25rem" justifyContent="flex-end" data-testid={`order-actions-${o.id}`}>
                <Button variant="subtle" actionType="destructive" disabled={busy !== null || o.status_id === CANCELLED} isLoading={busy === `cancel-${o.id}`} onClick={() => void cancel(o)} data-testid="cancel-order">
                  Cancel
                </Button>
                <Button variant="subtle" disabled={busy !== null || !o.paid || o.refundable <= 0} isLoading={busy === `refund-${o.id}`} onClick={() => void refund(o)} data-testid="refund-order">
                  Refund
                </Button>
              </Flex>
            ),
          },
        ]}
      />
    </Panel>
  );
}
