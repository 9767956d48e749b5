import { notFound } from 'next/navigation';
import { bigcommerceSandbox, SANDBOX_STORE_HASH } from '@/app/_lib/sandboxes';
import { getDatabase } from '@/db/runtime';
import { storesRepository } from '@/db/repositories/stores';
import { env, SANDBOX_PATHS } from '@/env';
import { ControlPanel } from '@/ui/sandbox/control-panel';

export const dynamic = 'force-dynamic';

/** Plays BigCommerce's control panel in sandbox mode: install, then load the app in an iframe. */
export default async function SandboxControlPanelPage({ searchParams }: { searchParams: Promise<{ deepLink?: string }> }) {
  const { deepLink } = await searchParams;
  const sandbox = bigcommerceSandbox();
  if (!sandbox) notFound();
  const summary = sandbox.control.listStores().find((s) => s.hash === SANDBOX_STORE_HASH);
  const storefrontChannels = summary ? sandbox.control.store(SANDBOX_STORE_HASH).channels.filter((c) => c.type === 'storefront' && c.is_enabled).map((c) => ({ id: c.id, name: c.name })) : [];
  const installed = await storesRepository((await getDatabase()).db).findByHash(SANDBOX_STORE_HASH);
  return (
    <ControlPanel
      storeHash={SANDBOX_STORE_HASH}
      storeName={summary?.name ?? 'Sandbox store'}
      installed={installed?.status === 'active'}
      controlBase={`${SANDBOX_PATHS.bigcommerce}/_sandbox`}
      appUrl={env().APP_URL}
      initialDeepLink={deepLink?.startsWith('/') && !deepLink.startsWith('//') ? deepLink : undefined}
      storefrontChannels={storefrontChannels}
    />
  );
}
