'use client';

import { Badge, Box, Flex, H1, H2, Link, Panel, Table, Text } from '@bigcommerce/big-design';
import type { HealthReport } from '@/jobs/health';

const syncRows = [
  { entity: 'Products & variants', direction: 'Lightspeed → BigCommerce', owner: 'Lightspeed' },
  { entity: 'Prices & cost', direction: 'Lightspeed → BigCommerce', owner: 'Lightspeed' },
  { entity: 'Online availability', direction: 'App → BigCommerce', owner: 'Your choice in the app' },
  { entity: 'Inventory per location', direction: 'Lightspeed ↔ BigCommerce', owner: 'Lightspeed counts' },
  { entity: 'Orders & fulfilment', direction: 'BigCommerce ↔ Lightspeed', owner: 'Each side for its part' },
];

export function Overview({ health, sandbox }: { health: HealthReport; sandbox: boolean }) {
  return (
    <Box marginHorizontal="xxxLarge" marginVertical="xxLarge">
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="medium">
        <H1 marginBottom="none">Counterpart</H1>
        {sandbox ? <Badge label="sandbox" variant="warning" /> : <Badge label="live" variant="success" />}
      </Flex>
      <Text>Lightspeed Retail and BigCommerce, in sync at every location: products, prices, availability, inventory and orders.</Text>
      <Panel header="System status" data-testid="system-status">
        <Flex flexDirection="column" flexGap="0.5rem">
          <StatusLine label="Database" ok={health.database.ok} detail={health.database.ok ? `${health.database.kind}, ${health.database.latencyMs} ms` : health.database.error} />
          <StatusLine
            label="Job queue"
            ok={health.queue.ok}
            detail={health.queue.ok ? `${health.queue.backlog} waiting, ${health.queue.deadLetters} failed for good` : health.queue.error}
          />
          <Text color="secondary60" marginBottom="none">
            Version {health.version}
          </Text>
        </Flex>
      </Panel>
      <Panel header="What stays in sync">
        <Table
          columns={[
            { header: 'Entity', hash: 'entity', render: ({ entity }) => entity },
            { header: 'Direction', hash: 'direction', render: ({ direction }) => direction },
            { header: 'Source of truth', hash: 'owner', render: ({ owner }) => owner },
          ]}
          items={syncRows}
          stickyHeader
        />
      </Panel>
      {sandbox ? (
        <Panel header="Sandbox tools" data-testid="sandbox-tools">
          <Text>
            <Link href="/sandbox/register">Register page</Link>: act as store staff on the emulated Lightspeed retailer — sell, return, receive deliveries, count stock,
            take a register offline — and watch the stock and webhooks change.
          </Text>
        </Panel>
      ) : null}
      <H2>Next step</H2>
      <Text>Install the app from the BigCommerce control panel{sandbox ? ' (in sandbox mode, from the sandbox control panel)' : ''}, then connect your Lightspeed account.</Text>
    </Box>
  );
}

function StatusLine({ label, ok, detail }: { label: string; ok: boolean; detail?: string }) {
  return (
    <Flex alignItems="center" flexGap="0.5rem">
      <Badge label={ok ? 'ok' : 'down'} variant={ok ? 'success' : 'danger'} />
      <Text bold marginBottom="none">
        {label}
      </Text>
      <Text marginBottom="none">{detail}</Text>
    </Flex>
  );
}
