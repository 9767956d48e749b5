'use client';

/**
 * The sandbox register page: a Lightspeed till for the emulated retailer. Staff pick an outlet
 * and register, then sell, return, receive deliveries, count stock, fulfil orders awaiting
 * dispatch or pickup and take the register offline — every action goes over HTTP to the mounted
 * sandbox's control API, and the page shows the resulting stock and the webhooks the sandbox sent.
 */
import { Text } from '@bigcommerce/big-design';
import { useMemo } from 'react';
import useSWR from 'swr';
import { controlClient, errorText } from '../control-client';
import { Message, Shell } from './parts';
import { Till } from './till-panel';

export function RegisterPage({ controlBase }: { controlBase: string }) {
  const client = useMemo(() => controlClient(controlBase), [controlBase]);
  const retailers = useSWR(['retailers'], () => client.retailers());
  const prefix = retailers.data?.[0]?.domain_prefix;
  const summary = useSWR(prefix ? ['summary', prefix] : null, () => client.summary(prefix ?? ''), { refreshInterval: 5_000 });
  const state = useSWR(prefix ? ['state', prefix] : null, () => client.state(prefix ?? ''), { refreshInterval: 15_000 });
  const log = useSWR(prefix ? ['webhook-log', prefix] : null, () => client.webhookLog(prefix ?? ''), { refreshInterval: 3_000 });

  const loadError: unknown = retailers.error ?? summary.error ?? state.error;
  if (loadError && !(summary.data && state.data)) {
    return (
      <Shell>
        <Message feedback={{ type: 'error', header: 'The sandbox retailer could not be loaded', messages: errorText(loadError) }} testId="load-error" />
      </Shell>
    );
  }
  if (retailers.data && retailers.data.length === 0) {
    return (
      <Shell>
        <Message feedback={{ type: 'warning', header: 'No sandbox retailer', messages: ['The Lightspeed sandbox has no retailers. Restart the app in sandbox mode to seed one.'] }} testId="load-error" />
      </Shell>
    );
  }
  if (!prefix || !summary.data || !state.data) {
    return (
      <Shell>
        <Text data-testid="loading">Loading the sandbox retailer…</Text>
      </Shell>
    );
  }
  const refresh = async () => {
    await Promise.all([summary.mutate(), state.mutate(), log.mutate()]);
  };
  return <Till prefix={prefix} client={client} summary={summary.data} state={state.data} log={log.data ?? []} refresh={refresh} />;
}

