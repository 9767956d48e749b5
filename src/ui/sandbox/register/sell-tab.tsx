'use client';

/** The Sell tab: scan items into a sale, complete it (taken now, or marked for later delivery or pickup), show the receipt. */
import { Box, Button, Flex, H2, Select, Table, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import { type ControlSale, type ProductRef, type RetailerState, type SandboxProduct } from '../control-client';
import { describeRef, parseQuantity, round2 } from '../till';
import { type ActionProps, money, resolve, ScanForm } from './parts';

interface CartLine {
  product: SandboxProduct;
  ref: ProductRef;
  quantity: number;
}

/**
 * "Mark as unfulfilled" on the X-Series sell screen: the customer pays now and the items are
 * delivered or picked up later (the sale awaits dispatch or pickup at this outlet).
 */
type Handover = 'now' | 'DISPATCH' | 'PICKUP';
const HANDOVER_OPTIONS: { value: Handover; content: string }[] = [
  { value: 'now', content: 'Now, at the till' },
  { value: 'DISPATCH', content: 'Later — deliver it' },
  { value: 'PICKUP', content: 'Later — picks it up' },
];

export function SellTab({
  prefix,
  client,
  state,
  registerId,
  registerOffline,
  symbol,
  busy,
  run,
  setFeedback,
  setTouched,
}: ActionProps & { registerId: string | undefined; registerOffline: boolean; symbol: string }) {
  const [cart, setCart] = useState<CartLine[]>([]);
  const [receipt, setReceipt] = useState<ControlSale | null>(null);
  const [handover, setHandover] = useState<Handover>('now');

  const add = (code: string, rawQuantity: string): boolean => {
    const found = resolve(state, code);
    if (typeof found === 'string' || !found) {
      setFeedback({ type: 'error', messages: [typeof found === 'string' ? found : 'Unknown product.'] });
      return false;
    }
    const quantity = parseQuantity(rawQuantity, 'quantity');
    if (typeof quantity === 'string') {
      setFeedback({ type: 'error', messages: [quantity] });
      return false;
    }
    setCart((lines) => {
      const existing = lines.find((l) => l.product.id === found.product.id);
      return existing ? lines.map((l) => (l === existing ? { ...l, quantity: l.quantity + quantity } : l)) : [...lines, { product: found.product, ref: found.ref, quantity }];
    });
    setTouched(found.product.id);
    setFeedback({ type: 'info', messages: [`Added ${quantity} × ${found.product.name} (${describeRef(found.ref)}).`] });
    return true;
  };

  const complete = () => {
    if (!registerId) {
      setFeedback({ type: 'error', messages: ['Pick a register first: this outlet has none.'] });
      return;
    }
    if (cart.length === 0) {
      setFeedback({ type: 'error', messages: ['The sale is empty: scan at least one item.'] });
      return;
    }
    const fulfillment = handover === 'now' ? undefined : handover;
    void run('sell', setFeedback, async () => {
      const result = await client.sell(prefix, { register_id: registerId, fulfillment, lines: cart.map((l) => ({ ref: l.ref, quantity: l.quantity })) });
      setCart([]);
      if (result.held || !result.sale) {
        setReceipt(null);
        return { type: 'warning', header: 'Sale held on the offline register', messages: ['No stock has moved and no webhook was sent. It uploads when the register is back online.'] };
      }
      setReceipt(result.sale);
      if (fulfillment) {
        return {
          type: 'success',
          header: `Sale ${result.sale.invoice_number} awaits ${fulfillment === 'DISPATCH' ? 'dispatch' : 'pickup'}`,
          messages: [
            `Paid ${money(symbol, result.sale.totals.price_incl_tax)} incl. tax. It is listed under Orders to fulfil; like Lightspeed, the stock leaves this outlet when it is ${fulfillment === 'DISPATCH' ? 'dispatched' : 'picked up'}.`,
          ],
        };
      }
      return {
        type: 'success',
        header: `Sale complete — invoice ${result.sale.invoice_number}`,
        messages: [`Receipt ${result.sale.receipt_number}, total ${money(symbol, result.sale.totals.price_incl_tax)} incl. tax. Sale id ${result.sale.id}.`],
      };
    });
  };

  const subtotal = round2(cart.reduce((s, l) => s + l.product.price_excluding_tax * l.quantity, 0));
  return (
    <>
      <ScanForm quantityLabel="Quantity" button="Add to sale" testId="sell-scan" busy={busy !== null} onSubmit={add} />
      <Box marginTop="large">
        <Table
          data-testid="cart"
          itemName="Sale lines"
          keyField="id"
          items={cart.map((l) => ({ ...l, id: l.product.id }))}
          emptyComponent={<Text color="secondary60">No items yet: scan a SKU or barcode.</Text>}
          columns={[
            { header: 'Product', hash: 'name', render: (l) => l.product.name },
            { header: 'Scanned', hash: 'ref', render: (l) => describeRef(l.ref) },
            { header: 'Qty', hash: 'qty', align: 'right', render: (l) => l.quantity },
            { header: 'Price', hash: 'price', align: 'right', render: (l) => money(symbol, l.product.price_excluding_tax) },
            { header: 'Line total', hash: 'total', align: 'right', render: (l) => money(symbol, round2(l.product.price_excluding_tax * l.quantity)) },
            {
              header: '',
              hash: 'remove',
              hideHeader: true,
              render: (l) => (
                <Button variant="subtle" onClick={() => setCart((lines) => lines.filter((x) => x.product.id !== l.product.id))}>
                  Remove
                </Button>
              ),
            },
          ]}
        />
      </Box>
      <Flex alignItems="center" justifyContent="space-between" marginTop="medium" flexWrap="wrap" flexGap="1rem">
        <Text bold marginBottom="none" data-testid="cart-subtotal">
          Subtotal {money(symbol, subtotal)} excl. tax
        </Text>
        <Flex flexGap="0.5rem" alignItems="flex-end" flexWrap="wrap">
          <Box style={{ minWidth: '15rem' }}>
            <Select
              label="Customer takes it"
              data-testid="sell-handover"
              options={HANDOVER_OPTIONS}
              value={handover}
              onOptionChange={(value) => setHandover(value ?? 'now')}
            />
          </Box>
          <Button variant="subtle" disabled={cart.length === 0 || busy !== null} onClick={() => setCart([])}>
            Clear
          </Button>
          <Button variant="primary" isLoading={busy === 'sell'} disabled={busy !== null} onClick={complete} data-testid="complete-sale">
            {registerOffline ? 'Complete sale (offline)' : handover === 'now' ? 'Complete sale' : 'Complete sale, fulfil later'}
          </Button>
        </Flex>
      </Flex>
      {receipt ? <Receipt sale={receipt} state={state} symbol={symbol} /> : null}
    </>
  );
}

function Receipt({ sale, state, symbol }: { sale: ControlSale; state: RetailerState; symbol: string }) {
  return (
    <Box marginTop="large" data-testid="receipt" data-sale-id={sale.id}>
      <H2>Receipt {sale.receipt_number}</H2>
      <Text color="secondary60">
        Invoice {sale.invoice_number} · {new Date(sale.date).toLocaleString('en-GB')} · sale {sale.id}
      </Text>
      <Table
        headerless
        items={sale.line_items.map((l, i) => ({ ...l, id: String(i) }))}
        columns={[
          { header: 'Product', hash: 'p', render: (l) => state.products[l.product.id]?.name ?? l.product.id },
          { header: 'Qty', hash: 'q', align: 'right', render: (l) => `× ${l.quantity}` },
          { header: 'Total', hash: 't', align: 'right', render: (l) => money(symbol, l.pricing.total) },
        ]}
      />
      <Text bold marginTop="small">
        Tax {money(symbol, sale.totals.tax)} · Total {money(symbol, sale.totals.price_incl_tax)}
      </Text>
    </Box>
  );
}

