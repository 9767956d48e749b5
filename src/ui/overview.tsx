'use client';

import { Badge, Box, Flex, H1, H2, InlineMessage, Link, Panel, Table, Text } from '@bigcommerce/big-design';
import type { HealthReport } from '@/jobs/health';
import { useApi, useSessionToken, withSession } from './session';
import { LightspeedConnection } from './lightspeed-connection';
import { StoreSettings } from './store-settings';

const syncRows = [
  { entity: 'Products & variants', direction: 'Lightspeed → BigCommerce', owner: 'Lightspeed' },
  { entity: 'Prices & cost', direction: 'Lightspeed → BigCommerce', owner: 'Lightspeed' },
  { entity: 'Online availability', direction: 'App → BigCommerce', owner: 'Your choice in the app' },
  { entity: 'Inventory per location', direction: 'Lightspeed ↔ BigCommerce', owner: 'Lightspeed counts' },
  { entity: 'Orders & fulfilment', direction: 'BigCommerce ↔ Lightspeed', owner: 'Each side for its part' },
];

interface OverviewProps {
  health: HealthReport;
  sandbox: boolean;
  /** The store and user of the session, when the page was opened through the control panel. */
  store?: { storeHash: string; email: string };
  sessionRejected?: boolean;
}

export function Overview({ health, sandbox, store, sessionRejected }: OverviewProps) {
  return (
    <Box marginHorizontal="xxxLarge" marginVertical="xxLarge">
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="medium">
        <H1 marginBottom="none">Counterpart</H1>
        {sandbox ? <Badge label="sandbox" variant="warning" /> : <Badge label="live" variant="success" />}
      </Flex>
      <Text>Lightspeed Retail and BigCommerce, in sync at every location: products, prices, availability, inventory and orders.</Text>
      {sessionRejected ? (
        <InlineMessage
          type="warning"
          marginBottom="medium"
          messages={[{ text: 'Your session has expired or access was removed. Reopen Counterpart from the BigCommerce control panel (Apps › My Apps).' }]}
        />
      ) : null}
      {store ? <StorePanel store={store} /> : null}
      {store ? <LightspeedConnection /> : null}
      {store ? <StoreSettings /> : null}
      {sandbox && !store ? (
        <Panel header="Sandbox tools" data-testid="sandbox-tools">
          <Text>
            No BigCommerce or Lightspeed credentials are configured, so Counterpart runs against its built-in sandbox store and retailer.
          </Text>
          <Text>
            <Link href="/sandbox/control-panel">Sandbox control panel</Link>: install the app and open it the way BigCommerce does, framed from another site.
          </Text>
          <Text>
            <Link href="/sandbox/register">Register page</Link>: act as store staff on the emulated Lightspeed retailer — sell, return, receive deliveries, count stock,
            take a register offline — and watch the stock and webhooks change.
          </Text>
        </Panel>
      ) : null}
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
      {!store ? (
        <>
          <H2>Next step</H2>
          <Text>Install the app from the BigCommerce control panel{sandbox ? ' (in sandbox mode, from the sandbox control panel)' : ''}, then connect your Lightspeed account.</Text>
        </>
      ) : null}
    </Box>
  );
}

function StorePanel({ store }: { store: { storeHash: string; email: string } }) {
  // Asked of the API with the bearer session: proves the session works from inside the iframe.
  const { data, error } = useApi<{ storeHash: string; email: string }>('/api/session');
  const token = useSessionToken();
  return (
    <Panel header="Your store" data-testid="store-panel" action={{ variant: 'secondary', text: 'Enable items', onClick: () => window.location.assign(withSession('/items', token)) }}>
      <Flex flexDirection="column" flexGap="0.5rem">
        <Text marginBottom="none">
          Store <strong>{store.storeHash}</strong>, signed in as <strong>{store.email}</strong>
        </Text>
        <Text marginBottom="none">
          <Link href={withSession('/activity', token)}>Activity and API usage</Link>: what the app did for your store and why.
        </Text>
        {error ? <InlineMessage type="error" messages={[{ text: `API session rejected: ${error.message}` }]} /> : null}
        {data ? (
          <Text marginBottom="none" data-testid="api-session">
            API session verified for {data.storeHash} ({data.email})
          </Text>
        ) : null}
      </Flex>
    </Panel>
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
