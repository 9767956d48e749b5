'use client';

/** The webhook log: one row per delivery the sandbox sent (retries update their row), filterable to a product. */
import { Badge, Box, InlineMessage, Panel, Select, Table, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import { describeWebhook, type RetailerState, type WebhookAttempt, webhookProductIds } from '../control-client';
import { time } from './parts';

/**
 * One row per delivery (not per attempt), so retries update a row instead of burying new events.
 * Ordered by first logged attempt: the log carries no enqueue sequence, and slow deliveries log late.
 */
function deliveries(log: WebhookAttempt[], limit: number) {
  const byDelivery = new Map<string, { first: WebhookAttempt; latest: WebhookAttempt; tries: number }>();
  for (const a of log) {
    const key = `${a.delivery_id}${a.duplicate ? ':dup' : ''}`;
    const entry = byDelivery.get(key);
    if (entry) {
      entry.latest = a;
      entry.tries += 1;
    } else byDelivery.set(key, { first: a, latest: a, tries: 1 });
  }
  return [...byDelivery.values()].slice(-limit).reverse().map((d) => ({ ...d, id: d.first.id }));
}

export function WebhookPanel({ state, log, productId }: { state: RetailerState; log: WebhookAttempt[]; productId: string | undefined }) {
  const [onlyProduct, setOnlyProduct] = useState(false);
  const subscriptions = Object.values(state.webhooks).filter((w) => w.active);
  const all = deliveries(log, Number.POSITIVE_INFINITY);
  const product = productId ? state.products[productId] : undefined;
  const filtered = onlyProduct && product ? all.filter((d) => webhookProductIds(d.first).includes(product.id)) : all;
  const recent = filtered.slice(0, 15);
  const urls = [...new Set(subscriptions.map((w) => w.url))];
  return (
    <Panel header="Recent webhooks" data-testid="webhook-panel">
      {subscriptions.length === 0 ? (
        <Box marginBottom="medium">
          <InlineMessage
            type="info"
            messages={[{ text: 'No webhook subscriptions yet: the sandbox only delivers to URLs subscribed through its Lightspeed API, which the app does when Lightspeed is connected.' }]}
          />
        </Box>
      ) : (
        <Text color="secondary60">
          {subscriptions.length} subscription{subscriptions.length === 1 ? '' : 's'} → {urls.join(', ')}
        </Text>
      )}
      <Box marginVertical="medium" style={{ maxWidth: '28rem' }}>
        <Select
          label="Show"
          data-testid="webhook-filter"
          options={[
            { value: 'all', content: 'All deliveries' },
            { value: 'product', content: product ? `Only ${product.name}` : 'Only the product just touched', disabled: !product },
          ]}
          value={onlyProduct && product ? 'product' : 'all'}
          onOptionChange={(value) => setOnlyProduct(value === 'product')}
        />
      </Box>
      <Table
        data-testid="webhook-log"
        keyField="id"
        items={recent}
        emptyComponent={<Text color="secondary60">No deliveries yet.</Text>}
        columns={[
          { header: 'First try', hash: 'at', render: (d) => time(d.first.at) },
          { header: 'Type', hash: 'type', render: (d) => d.first.type },
          { header: 'Carried', hash: 'detail', render: (d) => describeWebhook(state, d.first) },
          {
            header: 'Outcome',
            hash: 'outcome',
            render: (d) => (
              <Badge
                label={`${d.latest.outcome}${d.latest.http_status === null ? '' : ` ${d.latest.http_status}`}`}
                variant={d.latest.outcome === 'delivered' ? 'success' : d.latest.outcome === 'failed' ? 'danger' : 'warning'}
                title={d.latest.error ?? undefined}
              />
            ),
          },
          { header: 'Tries', hash: 'tries', align: 'right', render: (d) => `${d.tries}${d.first.duplicate ? ' (dup)' : ''}` },
          { header: 'Last try', hash: 'last', render: (d) => time(d.latest.at) },
        ]}
      />
      <Text color="secondary60" marginTop="small" marginBottom="none">
        {all.length} deliver{all.length === 1 ? 'y' : 'ies'}, {log.length} attempt{log.length === 1 ? '' : 's'} logged, newest first try first. Like Lightspeed, the sandbox does not promise delivery order, and retries failed deliveries.
      </Text>
    </Panel>
  );
}
