'use client';

import { Badge, Button, Flex, InlineMessage, Panel, Table, Text } from '@bigcommerce/big-design';
import { useEffect } from 'react';
import { apiFetch, useApi, useSessionToken } from './session';
import { useAction } from './use-action';

interface ConnectionView {
  connected: boolean;
  domainPrefix: string | null;
  status: 'active' | 'reconnect_required' | 'disconnected';
  statusReason: string | null;
  cursors: { resource: string; version: number; lastPolledAt: string | null; lastError: string | null }[];
}

/** Connect, reconnect or disconnect the Lightspeed retailer; see what the poller has reached. */
export function LightspeedConnection() {
  const token = useSessionToken();
  const { data, error, mutate } = useApi<ConnectionView>('/api/lightspeed/connection');
  const { busy, message, setMessage, run: act } = useAction();

  useEffect(() => {
    const onMessage = (event: MessageEvent<{ type?: string; ok?: boolean }>) => {
      if (event.data?.type !== 'counterpart:lightspeed') return;
      setMessage(event.data.ok ? { type: 'success', text: 'Lightspeed connected. Subscribing to its webhooks and reading the catalog…' } : { type: 'error', text: 'The Lightspeed connection did not complete; see the window that opened.' });
      void mutate();
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [mutate]);


  const connect = () =>
    act('connect', async () => {
      const { authorizeUrl } = await apiFetch<{ authorizeUrl: string }>(token, '/api/lightspeed/connect', { method: 'POST' });
      // Lightspeed's sign-in cannot be framed: it opens in a window of its own, as BigCommerce advises.
      const popup = window.open(authorizeUrl, 'counterpart-lightspeed', 'width=640,height=760');
      if (!popup) throw new Error('Your browser blocked the Lightspeed window; allow pop-ups for this app and try again.');
      setMessage({ type: 'info', text: 'Finish signing in to Lightspeed in the window that opened.' });
    });

  const disconnect = () =>
    act('disconnect', async () => {
      const result = await apiFetch<{ webhooksRemoved: number; warning?: string }>(token, '/api/lightspeed/connection', { method: 'DELETE' });
      setMessage(result.warning ? { type: 'error', text: `Disconnected, but ${result.warning}` } : { type: 'success', text: `Disconnected; ${result.webhooksRemoved} webhooks removed at Lightspeed.` });
      await mutate();
    });

  const pollNow = () =>
    act('poll', async () => {
      await apiFetch(token, '/api/lightspeed/sync', { method: 'POST' });
      setMessage({ type: 'info', text: 'Checking Lightspeed for changes now.' });
      setTimeout(() => void mutate(), 2000);
    });

  const status = data?.status ?? 'disconnected';
  return (
    <Panel header="Lightspeed Retail" data-testid="lightspeed-panel">
      {error ? <InlineMessage type="error" messages={[{ text: error.message }]} marginBottom="medium" /> : null}
      {status === 'reconnect_required' ? (
        <InlineMessage
          type="error"
          marginBottom="medium"
          messages={[{ text: `Lightspeed needs to be reconnected: ${data?.statusReason ?? 'the authorization was lost'}. Nothing syncs until you reconnect.` }]}
        />
      ) : null}
      {message ? <InlineMessage type={message.type} messages={[{ text: message.text }]} marginBottom="medium" /> : null}
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="medium">
        <Badge
          data-testid="lightspeed-status"
          label={status === 'active' ? 'connected' : status === 'reconnect_required' ? 'reconnect needed' : 'not connected'}
          variant={status === 'active' ? 'success' : status === 'reconnect_required' ? 'danger' : 'secondary'}
        />
        <Text marginBottom="none">{data?.domainPrefix ? `Retailer ${data.domainPrefix}` : 'Connect your Lightspeed X-Series account to start.'}</Text>
      </Flex>
      <Flex flexGap="0.75rem">
        {status !== 'active' ? (
          <Button onClick={() => void connect()} isLoading={busy === 'connect'}>
            {status === 'reconnect_required' ? 'Reconnect Lightspeed' : 'Connect Lightspeed'}
          </Button>
        ) : (
          <>
            <Button variant="secondary" onClick={() => void pollNow()} isLoading={busy === 'poll'}>
              Check for changes now
            </Button>
            <Button variant="subtle" actionType="destructive" onClick={() => void disconnect()} isLoading={busy === 'disconnect'}>
              Disconnect
            </Button>
          </>
        )}
      </Flex>
      {data?.cursors.length ? (
        <Table
          columns={[
            { header: 'Resource', hash: 'resource', render: ({ resource }) => resource },
            { header: 'Up to version', hash: 'version', render: ({ version }) => version },
            { header: 'Last checked', hash: 'lastPolledAt', render: ({ lastPolledAt }) => (lastPolledAt ? new Date(lastPolledAt).toLocaleTimeString() : '—') },
            { header: 'Problem', hash: 'lastError', render: ({ lastError }) => lastError ?? 'none' },
          ]}
          items={data.cursors}
        />
      ) : null}
    </Panel>
  );
}
