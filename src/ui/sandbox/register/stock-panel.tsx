'use client';

/** The Stock panel: the product just scanned, sold, received or counted, on hand at every outlet. */
import { Panel, Table, Text } from '@bigcommerce/big-design';
import { type RetailerState, type RetailerSummary, stockAt } from '../control-client';

export function StockPanel({ state, summary, productId, outletId }: { state: RetailerState; summary: RetailerSummary; productId: string | undefined; outletId: string | undefined }) {
  const product = productId ? state.products[productId] : undefined;
  return (
    <Panel header="Stock" data-testid="stock-panel">
      {product ? (
        <>
          <Text bold marginBottom="xxSmall" data-testid="stock-product">
            {product.name}
          </Text>
          <Text color="secondary60">
            SKU {product.sku}
            {product.product_codes[0] ? ` · ${product.product_codes[0].type} ${product.product_codes[0].code}` : ''}
          </Text>
          <Table
            keyField="id"
            items={summary.outlets.map((o) => ({ ...o, level: stockAt(state, product.id, o.id) }))}
            columns={[
              { header: 'Outlet', hash: 'name', render: (o) => (o.id === outletId ? <b>{o.name}</b> : o.name) },
              { header: 'On hand', hash: 'level', align: 'right', render: (o) => <span data-testid={`stock-${o.id}`}>{o.level}</span> },
            ]}
          />
        </>
      ) : (
        <Text color="secondary60">Scan, sell, receive or count a product to see its stock at every outlet.</Text>
      )}
    </Panel>
  );
}

