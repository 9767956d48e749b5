'use client';

/**
 * Activity: what the app did for the store and why (newest first, refreshed as it happens), with
 * errors and warnings one filter away, and the API calls it made to BigCommerce and Lightspeed.
 */
import { AppLink } from './app-link';
import { AppNav } from './app-nav';
import { Badge, Box, Button, Flex, FormGroup, H1, InlineMessage, Panel, Select, Table, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import type { ActivityOutcome as Outcome, ActivityPage as ActivityResponse, ActivityRow, Usage as UsageResponse } from '@/app/api/activity/schema';
import { apiFetch, useApi, useSessionToken } from './session';


const OUTCOMES: { value: Outcome; content: string }[] = [
  { value: 'error', content: 'Errors' },
  { value: 'warning', content: 'Warnings' },
  { value: 'ok', content: 'Done' },
  { value: 'info', content: 'Notes' },
];

const BADGES: Record<Outcome, { label: string; variant: 'danger' | 'warning' | 'success' | 'secondary' }> = {
  error: { label: 'error', variant: 'danger' },
  warning: { label: 'warning', variant: 'warning' },
  ok: { label: 'done', variant: 'success' },
  info: { label: 'note', variant: 'secondary' },
};

const PLATFORM = { bigcommerce: 'BigCommerce', lightspeed: 'Lightspeed' } as const;

export function ActivityLog() {
  const token = useSessionToken();
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [older, setOlder] = useState<{ rows: ActivityRow[]; next: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useApi<ActivityResponse>(`/api/activity?limit=50${outcome ? `&outcome=${outcome}` : ''}`, { refreshInterval: 10_000 });
  const usage = useApi<UsageResponse>('/api/activity/usage?hours=24', { refreshInterval: 30_000 });

  const rows = [...(latest.data?.events ?? []), ...(older?.rows ?? [])];
  const next = older ? older.next : (latest.data?.next ?? null);
  const loadOlder = async () => {
    if (next === null) return;
    try {
      const page = await apiFetch<ActivityResponse>(token, `/api/activity?limit=50&before=${next}${outcome ? `&outcome=${outcome}` : ''}`);
      setOlder({ rows: [...(older?.rows ?? []), ...page.events], next: page.next });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const filter = (value: Outcome | undefined) => {
    setOutcome(value);
    setOlder(null);
  };

  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge">
      <AppNav />
      <H1 marginBottom="none">Activity</H1>
      <Text>Everything Counterpart did for your store and why, newest first. Nothing fails silently: errors and warnings are listed here with their reason.</Text>

      <Panel header="What happened" data-testid="activity-log">
        <Box style={{ maxWidth: 280 }} marginBottom="medium">
          <FormGroup>
            <Select label="Show" placeholder="Everything" options={OUTCOMES} value={outcome} onOptionChange={(value: Outcome) => filter(value)} action={{ content: 'Everything', onActionClick: () => filter(undefined) }} />
          </FormGroup>
        </Box>
        {latest.error ? <InlineMessage type="error" messages={[{ text: `Could not load the activity log: ${latest.error.message}` }]} marginBottom="medium" /> : null}
        {error ? <InlineMessage type="error" messages={[{ text: error }]} marginBottom="medium" /> : null}
        <Table
          columns={[
            { header: 'When', hash: 'at', render: ({ at }) => new Date(at).toLocaleString() },
            { header: 'Result', hash: 'outcome', render: ({ outcome: o }) => <Badge label={BADGES[o].label} variant={BADGES[o].variant} /> },
            {
              header: 'What',
              hash: 'summary',
              render: ({ summary, reason, itemId }) => (
                <Box>
                  <Text marginBottom="none">{summary}</Text>
                  {reason ? (
                    <Text color="secondary60" marginBottom="none">
                      {reason}
                    </Text>
                  ) : null}
                  {itemId ? (
                    <Text marginBottom="none">
                      <AppLink href={`/items/${encodeURIComponent(itemId)}/stock`} data-testid="activity-stock-link">
                        Stock of this item by location
                      </AppLink>
                    </Text>
                  ) : null}
                </Box>
              ),
            },
          ]}
          items={rows}
          emptyComponent={<Text>{latest.isLoading ? 'Loading…' : 'Nothing here yet.'}</Text>}
        />
        {next !== null ? (
          <Button variant="secondary" marginTop="medium" onClick={() => void loadOlder()}>
            Load older
          </Button>
        ) : null}
      </Panel>
      <Panel header="API calls in the last 24 hours" data-testid="api-usage">
        {usage.error ? <InlineMessage type="error" messages={[{ text: `Could not load API usage: ${usage.error.message}` }]} /> : null}
        {usage.data ? (
          <>
            <Flex flexGap="2rem" marginBottom="medium">
              {(['bigcommerce', 'lightspeed'] as const).map((p) => (
                <Text key={p} marginBottom="none" data-testid={`usage-${p}`}>
                  <strong>{PLATFORM[p]}</strong>: {usage.data!.totals[p].calls} calls, {usage.data!.totals[p].failures} failed
                </Text>
              ))}
            </Flex>
            <Table
              columns={[
                { header: 'Platform', hash: 'platform', render: ({ platform }) => PLATFORM[platform] },
                { header: 'Endpoint', hash: 'endpoint', render: ({ method, endpoint }) => `${method} ${endpoint}` },
                { header: 'Calls', hash: 'calls', render: ({ calls }) => calls, align: 'right' },
                { header: 'Failed', hash: 'failures', render: ({ failures }) => failures, align: 'right' },
                { header: 'Mean time', hash: 'meanMs', render: ({ meanMs }) => `${meanMs} ms`, align: 'right' },
              ]}
              items={usage.data.endpoints.slice(0, 25)}
              emptyComponent={<Text>No API calls yet.</Text>}
            />
          </>
        ) : null}
      </Panel>
    </Box>
  );
}
