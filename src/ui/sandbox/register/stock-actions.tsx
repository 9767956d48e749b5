'use client';

/** Stock actions at an outlet: receive a supplier delivery (scanned or a bulk random one) and count stock. */
import { Box, Button, Flex, H2, Input, Table, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import { type ProductRef, type SandboxProduct, stockAt } from '../control-client';
import { describeRef, parseQuantity, randomDeliveryLines, stockedProducts } from '../till';
import { type ActionProps, resolve, ScanForm } from './parts';

interface DeliveryLine {
  product: SandboxProduct;
  ref: ProductRef;
  quantity: number;
}

export function ReceiveTab({ prefix, client, state, outletId, outletName, busy, run, setFeedback, setTouched }: ActionProps & { outletId: string; outletName: string }) {
  const [lines, setLines] = useState<DeliveryLine[]>([]);
  const [bulkCount, setBulkCount] = useState('250');
  const stocked = stockedProducts(state);

  const add = (code: string, rawQuantity: string): boolean => {
    const found = resolve(state, code);
    if (typeof found === 'string' || !found) {
      setFeedback({ type: 'error', messages: [typeof found === 'string' ? found : 'Unknown product.'] });
      return false;
    }
    const quantity = parseQuantity(rawQuantity, 'quantity received');
    if (typeof quantity === 'string') {
      setFeedback({ type: 'error', messages: [quantity] });
      return false;
    }
    setLines((ls) => {
      const existing = ls.find((l) => l.product.id === found.product.id);
      return existing ? ls.map((l) => (l === existing ? { ...l, quantity: l.quantity + quantity } : l)) : [...ls, { product: found.product, ref: found.ref, quantity }];
    });
    setTouched(found.product.id);
    setFeedback({ type: 'info', messages: [`Delivery line: ${quantity} × ${found.product.name}.`] });
    return true;
  };

  const receive = () => {
    if (lines.length === 0) return setFeedback({ type: 'error', messages: ['The delivery has no lines: add at least one SKU or barcode.'] });
    void run('receive', setFeedback, async () => {
      const c = await client.receive(prefix, { outlet_id: outletId, lines: lines.map((l) => ({ ref: l.ref, quantity: l.quantity })) });
      setLines([]);
      return { type: 'success', header: `Received “${c.name}” at ${outletName}`, messages: [`${lines.length} line${lines.length === 1 ? '' : 's'}, +${c.total_count_gain} units (consignment ${c.id}, ${c.status}).`] };
    });
  };

  const receiveBulk = () => {
    const n = parseQuantity(bulkCount, 'number of lines');
    if (typeof n === 'string') return setFeedback({ type: 'error', messages: [n] });
    if (n > stocked.length) return setFeedback({ type: 'error', messages: [`A delivery of ${n} distinct lines is not possible: the catalog has ${stocked.length} stock-tracked products. Nothing was received.`] });
    const picked = randomDeliveryLines(stocked, n);
    const first = picked[0];
    if (first) setTouched(first.product.id);
    void run('bulk', setFeedback, async () => {
      const c = await client.receive(prefix, {
        outlet_id: outletId,
        name: `Supplier delivery (${n} lines)`,
        lines: picked.map((l) => ({ ref: { product_id: l.product.id }, quantity: l.quantity, cost: l.cost })),
      });
      return { type: 'success', header: `Received a supplier delivery of ${n} lines at ${outletName}`, messages: [`+${c.total_count_gain} units across ${n} products (consignment ${c.id}, ${c.status}).`] };
    });
  };

  return (
    <>
      <Text>
        Receiving into <b>{outletName}</b>.
      </Text>
      <ScanForm quantityLabel="Quantity received" button="Add line" testId="receive-scan" busy={busy !== null} onSubmit={add} />
      <Box marginTop="large">
        <Table
          data-testid="delivery-lines"
          keyField="id"
          items={lines.map((l) => ({ ...l, id: l.product.id }))}
          emptyComponent={<Text color="secondary60">No delivery lines yet.</Text>}
          columns={[
            { header: 'Product', hash: 'p', render: (l) => l.product.name },
            { header: 'Scanned', hash: 'r', render: (l) => describeRef(l.ref) },
            { header: 'Qty', hash: 'q', align: 'right', render: (l) => l.quantity },
            { header: 'In stock here', hash: 's', align: 'right', render: (l) => stockAt(state, l.product.id, outletId) },
          ]}
        />
      </Box>
      <Flex justifyContent="flex-end" marginTop="medium">
        <Button variant="primary" isLoading={busy === 'receive'} disabled={busy !== null} onClick={receive} data-testid="receive-delivery">
          Receive delivery
        </Button>
      </Flex>
      <Box marginTop="xLarge">
        <H2>Bulk delivery</H2>
        <Flex flexDirection={{ mobile: 'column', tablet: 'row' }} alignItems={{ mobile: 'stretch', tablet: 'flex-end' }} flexGap="1rem">
          <Box style={{ maxWidth: '10rem' }}>
            <Input label="Lines" type="number" value={bulkCount} onChange={(e) => setBulkCount(e.target.value)} data-testid="bulk-count" />
          </Box>
          <Button variant="secondary" isLoading={busy === 'bulk'} disabled={busy !== null} onClick={receiveBulk} data-testid="receive-bulk">
            Receive a supplier delivery of {bulkCount.trim() || 'N'} random lines
          </Button>
        </Flex>
      </Box>
    </>
  );
}

export function CountTab({ prefix, client, state, outletId, outletName, busy, run, setFeedback, setTouched }: ActionProps & { outletId: string; outletName: string }) {
  const count = async (code: string, rawCounted: string): Promise<boolean> => {
    const found = resolve(state, code);
    if (typeof found === 'string' || !found) {
      setFeedback({ type: 'error', messages: [typeof found === 'string' ? found : 'Unknown product.'] });
      return false;
    }
    const counted = parseQuantity(rawCounted, 'counted quantity', { allowZero: true });
    if (typeof counted === 'string') {
      setFeedback({ type: 'error', messages: [counted] });
      return false;
    }
    setTouched(found.product.id);
    const before = stockAt(state, found.product.id, outletId);
    let ok = false;
    await run('count', setFeedback, async () => {
      const c = await client.countStock(prefix, { outlet_id: outletId, lines: [{ ref: found.ref, counted }] });
      ok = true;
      return { type: 'success', header: `Counted ${found.product.name} at ${outletName}`, messages: [`Was ${before}, counted ${counted} (${counted - before >= 0 ? '+' : ''}${counted - before}). Stocktake ${c.id}, ${c.status}.`] };
    });
    return ok;
  };
  return (
    <>
      <Text>
        Counting stock at <b>{outletName}</b>: the counted quantity becomes the stock level.
      </Text>
      <ScanForm quantityLabel="Counted" button="Record count" testId="count-scan" busy={busy !== null} onSubmit={count} />
    </>
  );
}

