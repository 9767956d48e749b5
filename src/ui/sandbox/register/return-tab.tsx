'use client';

/** The Return tab: pick a recent sale at this outlet, return some or all of what is left on it. */
import { Box, Button, Flex, Input, Select, Table } from '@bigcommerce/big-design';
import { useState } from 'react';
import { parseQuantity, recentSales, returnableLines, saleTotal } from '../till';
import { type ActionProps, money } from './parts';

export function ReturnTab({
  prefix,
  client,
  state,
  registerIds,
  outletName,
  symbol,
  busy,
  run,
  setFeedback,
  setTouched,
}: ActionProps & { registerIds: Set<string>; outletName: string; symbol: string }) {
  const [saleId, setSaleId] = useState<string | undefined>();
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const atOutlet = recentSales(state, registerIds);
  const sales = atOutlet.length > 0 ? atOutlet : recentSales(state, null);
  const sale = sales.find((s) => s.id === saleId);
  const lines = sale ? returnableLines(state, sale) : [];

  const submit = (all: boolean) => {
    if (!sale) {
      setFeedback({ type: 'error', messages: ['Pick a sale to return first.'] });
      return;
    }
    let wanted: { product_id: string; quantity: number }[] | undefined;
    if (!all) {
      wanted = [];
      for (const l of lines) {
        const raw = quantities[l.product_id]?.trim() ?? '';
        if (raw === '' || raw === '0') continue;
        const q = parseQuantity(raw, `quantity to return of ${state.products[l.product_id]?.name ?? l.product_id}`);
        if (typeof q === 'string') return setFeedback({ type: 'error', messages: [q] });
        if (q > l.remaining) return setFeedback({ type: 'error', messages: [`Only ${l.remaining} of ${state.products[l.product_id]?.name ?? l.product_id} can still be returned.`] });
        wanted.push({ product_id: l.product_id, quantity: q });
      }
      if (wanted.length === 0) return setFeedback({ type: 'error', messages: ['Enter a quantity to return on at least one line (or use Return all).'] });
    } else if (lines.every((l) => l.remaining === 0)) {
      return setFeedback({ type: 'error', messages: [`Everything on ${sale.invoice_number} has already been returned.`] });
    }
    const first = wanted?.[0]?.product_id ?? lines.find((l) => l.remaining > 0)?.product_id;
    if (first) setTouched(first);
    void run(all ? 'return-all' : 'return', setFeedback, async () => {
      const returned = await client.returnSale(prefix, { sale_id: sale.id, lines: wanted });
      setQuantities({});
      const items = -returned.line_items.reduce((s, l) => s + l.quantity, 0);
      return {
        type: 'success',
        header: `Returned ${items} item${items === 1 ? '' : 's'} from ${sale.invoice_number}`,
        messages: [`Return sale ${returned.invoice_number}, refund ${money(symbol, -returned.totals.price_incl_tax)}. Stock is back at the sale's outlet.`],
      };
    });
  };

  return (
    <>
      <Select
        label={atOutlet.length > 0 ? `Recent sales at ${outletName}` : 'Recent sales (all outlets)'}
        data-testid="return-sale-select"
        placeholder={sales.length === 0 ? 'No completed sales yet: sell something first' : 'Pick a sale'}
        disabled={sales.length === 0}
        options={sales.map((s) => ({
          value: s.id,
          content: `${s.invoice_number} — ${money(symbol, saleTotal(s))}`,
          description: `${new Date(s.date).toLocaleString('en-GB')} · ${s.line_items.reduce((n, l) => n + l.quantity, 0)} items${s.return_sale_ids.length > 0 ? ' · partly returned' : ''}`,
        }))}
        value={sale?.id}
        onOptionChange={(value) => {
          setSaleId(value);
          setQuantities({});
        }}
      />
      {sale ? (
        <>
          <Box marginTop="large">
            <Table
              data-testid="return-lines"
              keyField="product_id"
              items={lines}
              columns={[
                { header: 'Product', hash: 'p', render: (l) => state.products[l.product_id]?.name ?? l.product_id },
                { header: 'Sold', hash: 's', align: 'right', render: (l) => l.sold },
                { header: 'Returned', hash: 'r', align: 'right', render: (l) => l.returned },
                {
                  header: 'Return now',
                  hash: 'q',
                  width: 140,
                  render: (l) => (
                    <Input
                      aria-label={`Quantity to return of ${state.products[l.product_id]?.name ?? l.product_id}`}
                      type="number"
                      min={0}
                      max={l.remaining}
                      disabled={l.remaining === 0}
                      placeholder={l.remaining === 0 ? '—' : `0–${l.remaining}`}
                      value={quantities[l.product_id] ?? ''}
                      onChange={(e) => setQuantities((q) => ({ ...q, [l.product_id]: e.target.value }))}
                    />
                  ),
                },
              ]}
            />
          </Box>
          <Flex justifyContent="flex-end" flexGap="0.5rem" marginTop="medium">
            <Button variant="secondary" isLoading={busy === 'return'} disabled={busy !== null} onClick={() => submit(false)} data-testid="return-some">
              Return entered quantities
            </Button>
            <Button variant="primary" isLoading={busy === 'return-all'} disabled={busy !== null} onClick={() => submit(true)} data-testid="return-all">
              Return all remaining
            </Button>
          </Flex>
        </>
      ) : null}
    </>
  );
}

