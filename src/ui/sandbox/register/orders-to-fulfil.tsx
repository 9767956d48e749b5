'use client';

/**
 * Orders to fulfil: the sales awaiting dispatch or pickup at the selected outlet (X-Series keeps
 * them under Inventory › Fulfillments). Staff dispatch them (with an optional carrier tracking
 * number) or hand them over to the customer, all at once or some units at a time; the stock
 * leaves the outlet as they do, which is when X-Series moves it.
 */
import { Badge, Box, Button, Flex, FlexItem, Input, Panel, Table, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import type { OpenFulfilment, RetailerState } from '../control-client';
import { parseQuantity } from '../till';
import { type Feedback, Message, type RunAction } from './parts';

interface OrdersProps {
  outletName: string;
  orders: OpenFulfilment[] | undefined;
  state: RetailerState;
  busy: string | null;
  run: RunAction;
  fulfil: (input: { fulfillment_id: string; lines?: { sale_line_item_id: string; quantity: number }[]; tracking_number?: string }) => Promise<OpenFulfilment[]>;
}

const remaining = (l: OpenFulfilment['line_items'][number]) => l.quantity - l.fulfilled_quantity;

export function OrdersToFulfil({ outletName, orders, state, busy, run, fulfil }: OrdersProps) {
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  return (
    <Panel header="Orders to fulfil" data-testid="orders-panel">
      <Message feedback={feedback} testId="orders-message" onClose={() => setFeedback(null)} />
      {orders === undefined ? (
        <Text color="secondary60">Loading the orders waiting at {outletName}…</Text>
      ) : orders.length === 0 ? (
        <Text color="secondary60" data-testid="orders-empty">
          Nothing waits for dispatch or pickup at {outletName}. Complete a sale “later — deliver it” or “later — picks it up”, or let the app book an online order here.
        </Text>
      ) : (
        orders.map((order) => <Order key={order.id} order={order} state={state} busy={busy} run={run} fulfil={fulfil} setFeedback={setFeedback} />)
      )}
    </Panel>
  );
}

function Order({
  order,
  state,
  busy,
  run,
  fulfil,
  setFeedback,
}: Omit<OrdersProps, 'outletName' | 'orders'> & { order: OpenFulfilment; setFeedback: (f: Feedback | null) => void }) {
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [tracking, setTracking] = useState('');
  const dispatch = order.type === 'DISPATCH';
  const invoice = order.sale?.invoice_number ?? order.sale_id;
  const name = (productId: string) => state.products[productId]?.name ?? productId;
  const open = order.line_items.filter((l) => remaining(l) > 0);
  const left = open.reduce((s, l) => s + remaining(l), 0);

  const submit = (some: boolean) => {
    let lines: { sale_line_item_id: string; quantity: number }[] | undefined;
    if (some) {
      lines = [];
      for (const l of open) {
        const raw = quantities[l.sale_line_item_id]?.trim() ?? '';
        if (raw === '' || raw === '0') continue;
        const q = parseQuantity(raw, `quantity to fulfil of ${name(l.product_id)}`);
        if (typeof q === 'string') return setFeedback({ type: 'error', messages: [q] });
        if (q > remaining(l)) return setFeedback({ type: 'error', messages: [`Only ${remaining(l)} of ${name(l.product_id)} are left to fulfil on ${invoice}.`] });
        lines.push({ sale_line_item_id: l.sale_line_item_id, quantity: q });
      }
      if (lines.length === 0) return setFeedback({ type: 'error', messages: [`Enter a quantity on at least one line of ${invoice} (or fulfil all of it).`] });
    }
    const units = lines ? lines.reduce((s, l) => s + l.quantity, 0) : left;
    const trackingNumber = dispatch && tracking.trim() !== '' ? tracking.trim() : undefined;
    void run(`fulfil-${order.id}`, setFeedback, async () => {
      const [after] = await fulfil({ fulfillment_id: order.id, lines, tracking_number: trackingNumber });
      setQuantities({});
      setTracking('');
      const done = after?.state === 'FULFILLED';
      const verb = dispatch ? 'Dispatched' : 'Handed over';
      return {
        type: 'success',
        header: `${verb} ${units} item${units === 1 ? '' : 's'} of ${invoice}${done ? ' — complete' : ''}`,
        messages: [
          done
            ? `The sale is now ${after?.sale?.status ?? 'closed'}.${trackingNumber ? ` Tracking number ${trackingNumber}.` : ''}`
            : `${left - units} item${left - units === 1 ? '' : 's'} still to ${dispatch ? 'dispatch' : 'hand over'}.${trackingNumber ? ` Tracking number ${trackingNumber}.` : ''}`,
        ],
      };
    });
  };

  return (
    <Box marginBottom="large" data-testid={`order-${order.id}`} data-invoice={invoice}>
      <Flex alignItems="center" flexGap="0.5rem" flexWrap="wrap">
        <Text bold marginBottom="none">
          {invoice}
        </Text>
        <Badge label={dispatch ? 'Delivery' : 'Pickup'} variant={dispatch ? 'primary' : 'secondary'} />
        <Badge label={order.sale?.status ?? order.state} variant="warning" />
        {order.sale ? (
          <Text color="secondary60" marginBottom="none">
            {new Date(order.sale.date).toLocaleString('en-GB')}
          </Text>
        ) : null}
      </Flex>
      {/* The sale's own note (Sale `note`, X-Series API), as Lightspeed shows it on the sale: for an online order, where it came from and how it ships. */}
      {order.sale?.note ? (
        <Text marginBottom="none" data-testid={`sale-note-${order.id}`}>
          {order.sale.note}
        </Text>
      ) : null}
      {order.note ? (
        <Text color="secondary60" marginBottom="none" data-testid={`order-note-${order.id}`}>
          {order.note}
        </Text>
      ) : null}
      <Table
        keyField="sale_line_item_id"
        items={order.line_items}
        columns={[
          { header: 'Product', hash: 'p', render: (l) => name(l.product_id) },
          { header: 'Ordered', hash: 'o', align: 'right', render: (l) => l.quantity },
          { header: dispatch ? 'Dispatched' : 'Handed over', hash: 'f', align: 'right', render: (l) => l.fulfilled_quantity },
          {
            header: 'Now',
            hash: 'n',
            width: 130,
            render: (l) => (
              <Input
                aria-label={`Quantity to fulfil of ${name(l.product_id)} on ${invoice}`}
                type="number"
                min={0}
                max={remaining(l)}
                disabled={remaining(l) === 0}
                placeholder={remaining(l) === 0 ? '—' : `0–${remaining(l)}`}
                value={quantities[l.sale_line_item_id] ?? ''}
                onChange={(e) => setQuantities((q) => ({ ...q, [l.sale_line_item_id]: e.target.value }))}
              />
            ),
          },
        ]}
      />
      <Flex flexDirection={{ mobile: 'column', tablet: 'row' }} alignItems={{ mobile: 'stretch', tablet: 'flex-end' }} flexGap="0.5rem" marginTop="small">
        {dispatch ? (
          <FlexItem flexGrow={1}>
            <Input label="Tracking number (optional)" value={tracking} onChange={(e) => setTracking(e.target.value)} data-testid={`tracking-${order.id}`} autoComplete="off" />
          </FlexItem>
        ) : (
          <FlexItem flexGrow={1} />
        )}
        <Button variant="secondary" isLoading={busy === `fulfil-${order.id}`} disabled={busy !== null} onClick={() => submit(true)} data-testid={`fulfil-some-${order.id}`}>
          {dispatch ? 'Dispatch entered quantities' : 'Hand over entered quantities'}
        </Button>
        <Button variant="primary" isLoading={busy === `fulfil-${order.id}`} disabled={busy !== null} onClick={() => submit(false)} data-testid={`fulfil-all-${order.id}`}>
          {dispatch ? `Dispatch all (${left})` : `Picked up — all ${left}`}
        </Button>
      </Flex>
    </Box>
  );
}
