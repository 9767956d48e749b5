'use client';

import { Badge, Box, Button, Flex, H1, H2, InlineMessage, Input, Link, Panel, Select, Text } from '@bigcommerce/big-design';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { useAction } from '../use-action';
import { SandboxOrders } from './sandbox-orders';
import { StorefrontPage } from './storefront';

const STAFF = { id: 2002, email: 'staff@sandbox.store' };

const installSchema = z.object({ url: z.string().nullable() });
const signedSchema = z.object({ jwt: z.string(), url: z.string().nullable() });

/**
 * BigCommerce embeds apps in an iframe on another site. Here the control panel and the app are
 * served by one process, so the app is framed from the other loopback name (localhost ↔
 * 127.0.0.1): a different site to the browser, which is what matters for cookies.
 */
export function crossSiteOrigin(origin: string): string {
  const url = new URL(origin);
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  else if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return url.origin;
}

function onOrigin(callbackUrl: string, origin: string): string {
  const url = new URL(callbackUrl);
  return `${origin}${url.pathname}${url.search}`;
}

interface Props {
  storeHash: string;
  storeName: string;
  installed: boolean;
  controlBase: string;
  appUrl: string;
  /** A deep link to open the app on (e.g. /items?product=…), as BigCommerce's `url` claim. */
  initialDeepLink?: string;
  /** The store's storefront channels, for the storefront a shopper buys from. */
  storefrontChannels: { id: number; name: string }[];
}

export function ControlPanel({ storeHash, storeName, installed, controlBase, initialDeepLink, storefrontChannels }: Props) {
  const router = useRouter();
  const [frameSrc, setFrameSrc] = useState<string | null>(null);
  const [appOrigin, setAppOrigin] = useState<string>('');
  const [deepLink, setDeepLink] = useState(initialDeepLink ?? '/');
  const { busy, message, setMessage, run } = useAction();
  const [showStorefront, setShowStorefront] = useState(false);
  const [channelId, setChannelId] = useState(storefrontChannels[0]?.id ?? 1);
  const [ordersVersion, setOrdersVersion] = useState(0);

  useEffect(() => setAppOrigin(crossSiteOrigin(window.location.origin)), []);

  const control = async <T,>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> => {
    const res = await fetch(`${controlBase}/stores/${storeHash}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json: unknown = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((json as { title?: string; error?: string }).title ?? (json as { error?: string }).error ?? `sandbox answered ${res.status}`);
    return schema.parse(json);
  };


  const install = () =>
    run('install', async () => {
      const { url } = await control('install', {}, installSchema);
      if (!url) throw new Error('the sandbox has no auth callback configured');
      setFrameSrc(onOrigin(url, appOrigin));
    });

  /** Opens the app as the store owner (the sandbox's default user) or as another user. */
  const load = (user?: typeof STAFF) =>
    run(`load-${user?.id ?? 'owner'}`, async () => {
      const { url } = await control('signed-payload', { kind: 'load', ...(user ? { user } : {}), url: deepLink || '/' }, signedSchema);
      if (!url) throw new Error('the sandbox has no load callback configured');
      setFrameSrc(onOrigin(url, appOrigin));
    });

  const removeStaff = () =>
    run('remove-user', async () => {
      const { url } = await control('signed-payload', { kind: 'remove_user', user: STAFF }, signedSchema);
      if (!url) throw new Error('the sandbox has no remove-user callback configured');
      // BigCommerce calls this from its servers; the control panel stands in with a plain request.
      const res = await fetch(onOrigin(url, window.location.origin));
      if (!res.ok) throw new Error(`remove-user callback answered ${res.status}`);
      setMessage({ type: 'success', text: `${STAFF.email} no longer has access to Counterpart.` });
    });

  const uninstall = () =>
    run('uninstall', async () => {
      const result = await control('uninstall', {}, z.object({ status: z.number().nullable() }));
      setFrameSrc(null);
      setMessage({ type: result.status && result.status < 300 ? 'success' : 'error', text: `Uninstalled; the app's uninstall callback answered ${result.status ?? 'nothing'}.` });
      router.refresh();
    });

  return (
    // Like BigCommerce's control panel, the page itself never scrolls: the app's frame fills the
    // rest of the window and scrolls inside. (A scrolling parent page moved the cross-site frame
    // under the pointer: a click right after such a scroll, e.g. the one focusing a dialog inside
    // the frame scrolls in, reached the parent page instead of the app.)
    <Flex style={{ height: '100vh', overflow: 'hidden' }}>
      <Box backgroundColor="secondary70" padding="large" style={{ width: 220, color: 'white' }}>
        <Text color="white" bold>
          {storeName}
        </Text>
        <Text color="secondary40">Sandbox control panel</Text>
        <Text color="white" marginTop="xLarge">
          Apps › My apps › Counterpart
        </Text>
      </Box>
      <Flex flexDirection="column" padding="xLarge" style={{ flex: 1, minWidth: 0, minHeight: 0 }}>
        {/* The control panel's own tools scroll in their own region: scrolling them never moves the app's frame. */}
        <Box style={{ flex: '0 1 auto', maxHeight: '55%', minHeight: 0, overflowY: 'auto' }} data-testid="control-panel-tools">
          <Flex alignItems="center" flexGap="0.75rem">
            <H1 marginBottom="none">Counterpart</H1>
            <Badge label={installed ? 'installed' : 'not installed'} variant={installed ? 'success' : 'secondary'} data-testid="install-state" />
          </Flex>
          <Text>
            This page stands in for the BigCommerce control panel of store <strong>{storeHash}</strong>. It installs the app through its real auth callback
            and opens it through its real load callback, framed from another site ({appOrigin || '…'}) as BigCommerce does.
          </Text>
          {message ? <InlineMessage type={message.type} messages={[{ text: message.text }]} marginBottom="medium" /> : null}
          <Panel>
            <Flex flexGap="0.75rem" flexWrap="wrap" alignItems="flex-end">
              <Button onClick={() => void install()} isLoading={busy === 'install'} disabled={!appOrigin}>
                {installed ? 'Reinstall' : 'Install'}
              </Button>
              <Box style={{ width: 260 }}>
                <Input label="Deep link" value={deepLink} onChange={(e) => setDeepLink(e.target.value)} description="The load callback's url claim" />
              </Box>
              <Button variant="secondary" onClick={() => void load()} isLoading={busy === 'load-owner'} disabled={!installed || !appOrigin}>
                Open app (owner)
              </Button>
              <Button variant="secondary" onClick={() => void load(STAFF)} isLoading={busy === `load-${STAFF.id}`} disabled={!installed || !appOrigin}>
                Open app (staff user)
              </Button>
              <Button variant="subtle" onClick={() => setShowStorefront(!showStorefront)} data-testid="storefront-toggle">
                {showStorefront ? 'Close the storefront' : 'Place a storefront order'}
              </Button>
              <Button variant="subtle" onClick={() => void removeStaff()} isLoading={busy === 'remove-user'} disabled={!installed}>
                Remove staff user
              </Button>
              <Button variant="subtle" actionType="destructive" onClick={() => void uninstall()} isLoading={busy === 'uninstall'} disabled={!installed}>
                Uninstall
              </Button>
            </Flex>
          </Panel>
          {showStorefront ? (
            <Panel header="Storefront" data-testid="storefront-panel">
              <Flex flexGap="0.75rem" alignItems="flex-end" marginBottom="medium">
                <Box style={{ width: 260 }}>
                  <Select
                    label="Channel"
                    options={storefrontChannels.map((c) => ({ value: c.id, content: `${c.name} (channel ${c.id})` }))}
                    value={channelId}
                    onOptionChange={(value) => value !== undefined && setChannelId(value)}
                  />
                </Box>
                <Link href={`/sandbox/storefront?store=${storeHash}&channel=${channelId}`} target="_blank">
                  Open the storefront page
                </Link>
              </Flex>
              <StorefrontPage key={channelId} controlBase={controlBase} storeHash={storeHash} channelId={channelId} embedded onOrder={() => setOrdersVersion((v) => v + 1)} />
            </Panel>
          ) : null}
          <SandboxOrders controlBase={controlBase} storeHash={storeHash} version={ordersVersion} />
        </Box>
        <H2>App</H2>
        {frameSrc ? (
          <iframe
            title="Counterpart"
            name="counterpart-app"
            src={frameSrc}
            onLoad={() => router.refresh()}
            style={{ width: '100%', flex: 1, minHeight: 0, border: '1px solid #D9DCE9', borderRadius: 4, background: 'white' }}
          />
        ) : (
          <Text color="secondary60">{installed ? 'Open the app to load it here.' : 'Install the app to load it here.'}</Text>
        )}
      </Flex>
    </Flex>
  );
}
