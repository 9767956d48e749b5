'use client';

import { Badge, Button, Flex, InlineMessage, Modal, Panel, Table, Text } from '@bigcommerce/big-design';
import { useEffect, useState } from 'react';
import { refusal } from '@/core/access/permissions';
import type { ConnectionView, DisconnectResult } from '@/app/api/lightspeed/connection/schema';
import { apiFetch, useApi, useMay, useSessionToken } from './session';
import { useAction } from './use-action';

const RESOURCE_NAMES: Record<string, string> = { products: 'Products', inventory: 'Inventory', sales: 'Sales' };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The app's own origins: this page's, and in the sandbox its loopback twin (localhost ↔ 127.0.0.1, same port). */
function isAppOrigin(origin: string): boolean {
  if (origin === window.location.origin) return true;
  const loopback = (host: string) => host === 'localhost' || host === '127.0.0.1';
  try {
    const a = new URL(origin);
    const b = new URL(window.location.origin);
    return a.protocol === b.protocol && a.port === b.port && loopback(a.hostname) && loopback(b.hostname);
  } catch {
    return false;
  }
}
const stay = (n: number) => (n === 1 ? 'stays' : 'stay');

/** Connect, reconnect or disconnect the Lightspeed retailer; see when Counterpart last read it. */
export function LightspeedConnection() {
  const token = useSessionToken();
  const mayConnect = useMay('lightspeed.connection');
  // While a check runs (on the server: after a reload or in another tab too), follow it.
  const { data, error, mutate } = useApi<ConnectionView>('/api/lightspeed/connection', { refreshInterval: (d) => (d?.cursors.some((c) => c.checking) ? 1_000 : 0) });
  const { busy, message, setMessage, run: act } = useAction();
  const [confirming, setConfirming] = useState(false);

  // The sign-in window hands back Lightspeed's code; this page completes the connection with its
  // own session (a copied sign-in link, finished elsewhere, connects nothing) and tells the window.
  useEffect(() => {
    const onMessage = (event: MessageEvent<{ type?: string; ok?: boolean; code?: string; domain_prefix?: string; state?: string }>) => {
      if (!isAppOrigin(event.origin)) return;
      const data = event.data;
      if (data?.type === 'counterpart:lightspeed' && data.ok === false) {
        setMessage({ type: 'error', text: 'The Lightspeed connection did not complete; the window that opened says why. Press Connect Lightspeed to try again.' });
        return;
      }
      if (data?.type !== 'counterpart:lightspeed-code') return;
      const reply = (answer: { ok: boolean; domainPrefix?: string; error?: string }) => (event.source as Window | null)?.postMessage({ type: 'counterpart:lightspeed-done', ...answer }, event.origin);
      void act('connect', async () => {
        try {
          const { domainPrefix } = await apiFetch<{ domainPrefix: string }>(token, '/api/lightspeed/connect/complete', {
            method: 'POST',
            body: JSON.stringify({ code: data.code, domain_prefix: data.domain_prefix, state: data.state }),
          });
          reply({ ok: true, domainPrefix });
          setMessage({ type: 'success', text: `Lightspeed connected to ${domainPrefix}. Counterpart is subscribing to its webhooks and reading your catalog.` });
        } catch (error) {
          reply({ ok: false, error: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          await mutate();
        }
      });
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [act, mutate, setMessage, token]);

  const connect = () =>
    act('connect', async () => {
      const { authorizeUrl } = await apiFetch<{ authorizeUrl: string }>(token, '/api/lightspeed/connect', { method: 'POST' });
      // Lightspeed's sign-in cannot be framed: it opens in a window of its own, as BigCommerce advises.
      const popup = window.open(authorizeUrl, 'counterpart-lightspeed', 'width=640,height=760');
      if (!popup) throw new Error('Your browser blocked the Lightspeed window: allow pop-ups for Counterpart and press Connect Lightspeed again.');
      setMessage({ type: 'info', text: 'Finish signing in to Lightspeed in the window that opened.' });
    });

  const disconnect = () =>
    act('disconnect', async () => {
      setConfirming(false);
      const result = await apiFetch<DisconnectResult>(token, '/api/lightspeed/connection', { method: 'DELETE' });
      const stays = `${plural(result.linkedProducts, 'product')} ${stay(result.linkedProducts)} linked in BigCommerce; sync is paused until you reconnect.`;
      setMessage(
        result.warning
          ? { type: 'warning', text: `Disconnected from Lightspeed, but ${result.warning}. ${stays}` }
          : { type: 'success', text: `Disconnected from Lightspeed and removed its ${plural(result.webhooksRemoved, 'webhook')}. ${stays}` },
      );
      await mutate();
    });

  const pollNow = () =>
    act('poll', async () => {
      await apiFetch(token, '/api/lightspeed/sync', { method: 'POST' });
      await mutate();
    });

  const status = data?.status ?? 'disconnected';
  const linked = data?.linkedProducts ?? 0;
  const checking = data?.cursors.some((c) => c.checking) ?? false;
  return (
    <Panel header="Lightspeed Retail" data-testid="lightspeed-panel">
      {error ? <InlineMessage type="error" messages={[{ text: `Could not load the Lightspeed connection: ${error.message}` }]} marginBottom="medium" /> : null}
      {status === 'reconnect_required' ? (
        <InlineMessage
          type="error"
          marginBottom="medium"
          messages={[{ text: `Lightspeed needs to be reconnected: ${data?.statusReason ?? 'the authorization was lost'}. Nothing syncs until you press Reconnect Lightspeed.` }]}
        />
      ) : null}
      {message ? <InlineMessage type={message.type} messages={[{ text: message.text }]} marginBottom="medium" /> : null}
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="medium">
        <Badge
          data-testid="lightspeed-status"
          label={status === 'active' ? 'connected' : status === 'reconnect_required' ? 'reconnect needed' : 'not connected'}
          variant={status === 'active' ? 'success' : status === 'reconnect_required' ? 'danger' : 'secondary'}
        />
        <Text marginBottom="none" data-testid="lightspeed-summary">
          {status === 'active'
            ? `Retailer ${data?.domainPrefix ?? ''}.`
            : linked > 0
              ? `${plural(linked, 'product')} ${stay(linked)} linked in BigCommerce with the details ${linked === 1 ? 'it' : 'they'} had; sync is paused. Reconnecting Lightspeed resumes it where it stopped.`
              : 'Connect your Lightspeed Retail (X-Series) account to choose which items sell online.'}
        </Text>
      </Flex>
      <Flex flexGap="0.75rem" alignItems="center" flexWrap="wrap">
        {status !== 'active' ? (
          <Button onClick={() => void connect()} isLoading={busy === 'connect'} disabled={!mayConnect}>
            {status === 'reconnect_required' || linked > 0 ? 'Reconnect Lightspeed' : 'Connect Lightspeed'}
          </Button>
        ) : (
          <>
            <Button variant="secondary" onClick={() => void pollNow()} isLoading={busy === 'poll' || checking}>
              Check for changes now
            </Button>
            <Button variant="subtle" actionType="destructive" onClick={() => setConfirming(true)} isLoading={busy === 'disconnect'} disabled={!mayConnect}>
              Disconnect
            </Button>
          </>
        )}
        {!mayConnect ? (
          <Text color="secondary60" marginBottom="none" data-testid="lightspeed-refusal">
            {refusal('lightspeed.connection')}
          </Text>
        ) : null}
      </Flex>
      <Modal
        isOpen={confirming}
        header="Disconnect Lightspeed?"
        variant="dialog"
        onClose={() => setConfirming(false)}
        closeOnEscKey
        closeOnClickOutside={false}
        actions={[
          { text: 'Cancel', variant: 'subtle', onClick: () => setConfirming(false) },
          { text: 'Disconnect', actionType: 'destructive', onClick: () => void disconnect() },
        ]}
      >
        <Text data-testid="disconnect-consequences">
          Counterpart removes its webhooks at Lightspeed and forgets the retailer&apos;s sign-in. The {plural(linked, 'product')} linked to BigCommerce {stay(linked)}{' '}
          there as {linked === 1 ? 'it is' : 'they are'}: nothing is hidden or deleted. Sync pauses: prices, stock and new items stop following Lightspeed until you reconnect, which
          resumes where it stopped.
        </Text>
      </Modal>
      {data?.cursors.length ? (
        <Table
          columns={[
            { header: 'Read from Lightspeed', hash: 'resource', render: ({ resource }) => RESOURCE_NAMES[resource] ?? resource },
            {
              header: 'Last checked',
              hash: 'lastPolledAt',
              render: ({ lastPolledAt, checking: now, requestedAt }) =>
                now ? `checking now (asked at ${new Date(requestedAt!).toLocaleTimeString()})` : lastPolledAt ? new Date(lastPolledAt).toLocaleTimeString() : 'not yet',
            },
            { header: 'Problem', hash: 'lastError', render: ({ lastError }) => lastError ?? 'none' },
          ]}
          items={data.cursors}
        />
      ) : null}
    </Panel>
  );
}
