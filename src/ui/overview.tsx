'use client';

import { Badge, Box, Flex, H1, Link, Panel, Table, Text } from '@bigcommerce/big-design';
import { useRouter } from 'next/navigation';
import type { HealthReport } from '@/app/api/health/schema';
import type { SessionGrant } from '@/app/api/session/schema';
import { AppLink } from './app-link';
import { AppNav } from './app-nav';
import { LightspeedConnection } from './lightspeed-connection';
import { OpenFromControlPanel } from './open-from-control-panel';
import { Opening } from './require-session';
import { useSession } from './session';
import { StoreSettings } from './store-settings';

const syncRows = [
  { entity: 'Products & variants', direction: 'Lightspeed → BigCommerce', owner: 'Lightspeed' },
  { entity: 'Prices & cost', direction: 'Lightspeed → BigCommerce', owner: 'Lightspeed' },
  { entity: 'Online availability', direction: 'Counterpart → BigCommerce', owner: 'Your choice in Counterpart' },
  { entity: 'Inventory (outlets → locations)', direction: 'Lightspeed ↔ BigCommerce', owner: 'Lightspeed counts' },
  { entity: 'Orders & fulfilment', direction: 'BigCommerce ↔ Lightspeed', owner: 'Each side for its part' },
];

export function Overview({ health, sandbox }: { health: HealthReport; sandbox: boolean }) {
  const { state } = useSession();
  return (
    <Box marginHorizontal="xxxLarge" marginVertical="xxLarge">
      {state.status === 'ready' ? <AppNav /> : null}
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="medium">
        <H1 marginBottom="none">Counterpart</H1>
        {sandbox ? <Badge label="sandbox" variant="warning" /> : <Badge label="live" variant="success" />}
      </Flex>
      <Text>Lightspeed Retail and BigCommerce, in sync at every outlet: products, prices, online availability, inventory and orders.</Text>
      {state.status === 'loading' ? <Opening /> : null}
      {state.status === 'ready' ? (
        <>
          <StorePanel session={state.session} />
          <LightspeedConnection />
          <StoreSettings />
        </>
      ) : null}
      {state.status === 'none' || state.status === 'refused' ? (
        <>
          <OpenFromControlPanel deepLink="/" sandbox={sandbox} reason={state.status === 'refused' ? state.reason : null} embedded />
          {sandbox ? <SandboxTools /> : null}
        </>
      ) : null}
      <Panel header="System status" data-testid="system-status">
        <Flex flexDirection="column" flexGap="0.5rem">
          <StatusLine label="Database" ok={health.database.ok} detail={health.database.ok ? `${health.database.kind}, ${health.database.latencyMs} ms` : health.database.error} />
          <StatusLine
            label="Background tasks"
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
            { header: 'What', hash: 'entity', render: ({ entity }) => entity },
            { header: 'Direction', hash: 'direction', render: ({ direction }) => direction },
            { header: 'Source of truth', hash: 'owner', render: ({ owner }) => owner },
          ]}
          items={syncRows}
          stickyHeader
        />
      </Panel>
    </Box>
  );
}

function SandboxTools() {
  return (
    <Panel header="Sandbox tools" data-testid="sandbox-tools">
      <Text>No BigCommerce or Lightspeed credentials are configured, so Counterpart runs against its built-in sandbox store and retailer.</Text>
      <Text>
        <Link href="/sandbox/control-panel">Sandbox control panel</Link>: install Counterpart and open it the way BigCommerce does, framed from another site.
      </Text>
      <Text>
        <Link href="/sandbox/register">Register page</Link>: act as store staff on the sandbox Lightspeed retailer (sell, return, receive deliveries, count stock, take a
        register offline) and watch the stock and webhooks change.
      </Text>
    </Panel>
  );
}

function StorePanel({ session }: { session: SessionGrant }) {
  const router = useRouter();
  return (
    <Panel header="Your store" data-testid="store-panel" action={{ variant: 'secondary', text: 'Enable items', onClick: () => router.push('/items') }}>
      <Flex flexDirection="column" flexGap="0.5rem">
        <Text marginBottom="none" data-testid="signed-in">
          Store <strong>{session.storeHash}</strong>, signed in as <strong>{session.email}</strong> ({session.role === 'owner' ? 'store owner' : 'store user'})
        </Text>
        {session.role !== 'owner' ? (
          <Text color="secondary60" marginBottom="none" data-testid="role-note">
            You can see everything and check Lightspeed for changes. The store owner decides what else you may do, in Settings.
          </Text>
        ) : null}
        <Text marginBottom="none">
          <AppLink href="/activity">Activity and API usage</AppLink>: what Counterpart did for your store and why.
        </Text>
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
