'use client';

/**
 * Drift repair: "Check stock now" compares BigCommerce with Lightspeed for every linked item and
 * corrects every difference. The check runs on the server; its progress is read from there, so
 * a reloaded page (or another user) sees it running. Also its schedule and the last result.
 */
import { Box, Button, Flex, FormGroup, InlineMessage, Panel, ProgressBar, Select, Table, Text } from '@bigcommerce/big-design';
import { useEffect, useRef, useState } from 'react';
import { refusal } from '@/core/access/permissions';
import type { LocationSettings, LocationsPage, SweepStatus } from '@/app/api/locations/schema';
import { AppLink } from '../app-link';
import { apiFetch, useApi, useMay, useSessionToken } from '../session';
import { SCHEDULES, when } from './words';

const running = (state: string | undefined) => state === 'queued' || state === 'running';

export function StockCheck({ data, onFinished }: { data: LocationsPage; onFinished: () => void }) {
  const token = useSessionToken();
  const maySchedule = useMay('settings.change');
  const [followed, setFollowed] = useState<string | null>(running(data.sweep?.state) ? data.sweep.id : null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [interval, setIntervalMinutes] = useState(data.sweepIntervalMinutes);
  const [scheduleNote, setScheduleNote] = useState<{ ok: boolean; text: string } | null>(null);

  // A check found running when the page loads (a reload, another user's check) is followed too.
  useEffect(() => {
    if (running(data.sweep?.state)) setFollowed(data.sweep.id);
  }, [data.sweep]);
  useEffect(() => setIntervalMinutes(data.sweepIntervalMinutes), [data.sweepIntervalMinutes]);

  const status = useApi<SweepStatus>(followed ? `/api/locations/sweeps/${followed}` : null, { refreshInterval: (s) => (s && !running(s.state) ? 0 : 700) });
  const finished = status.data && !running(status.data.state);
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (finished && status.data && reported.current !== status.data.id) {
      reported.current = status.data.id;
      onFinished();
    }
  }, [finished, status.data, onFinished]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const { sweepId } = await apiFetch<{ sweepId: string }>(token, '/api/locations/sweeps', { method: 'POST' });
      setFollowed(sweepId);
    } catch (e) {
      setError(`The stock check did not start: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setStarting(false);
    }
  };

  const saveSchedule = async (minutes: number) => {
    setIntervalMinutes(minutes);
    setScheduleNote(null);
    try {
      const saved = await apiFetch<LocationSettings>(token, '/api/locations/settings', { method: 'PUT', body: JSON.stringify({ sweepIntervalMinutes: minutes }) });
      setScheduleNote({ ok: true, text: `Saved: ${SCHEDULES.find((s) => s.value === saved.sweepIntervalMinutes)?.content.toLowerCase() ?? `every ${saved.sweepIntervalMinutes} minutes`}.` });
    } catch (e) {
      setIntervalMinutes(data.sweepIntervalMinutes);
      setScheduleNote({ ok: false, text: `The schedule was not saved: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  const live = status.data && status.data.id === followed ? status.data : null;
  const inProgress = live ? running(live.state) : running(data.sweep?.state);
  const last = data.sweep && !running(data.sweep.state) ? data.sweep : null;
  const label = (locationId: number) => data.locations.find((l) => l.id === locationId)?.label ?? `Location #${locationId}`;
  const schedules = SCHEDULES.some((s) => s.value === interval) ? SCHEDULES : [...SCHEDULES, { value: interval, content: `Every ${interval} minutes` }];

  return (
    <Panel header="Stock check" data-testid="stock-check">
      <Text>
        Counterpart publishes every stock change as it happens. A stock check also compares BigCommerce with Lightspeed for every linked item and corrects any difference,
        for example a webhook Lightspeed never sent or a hand edit in BigCommerce.
      </Text>
      <Flex alignItems="flex-end" flexGap="1rem" flexWrap="wrap">
        <Button onClick={() => void start()} isLoading={starting} disabled={inProgress} data-testid="check-stock-now">
          Check stock now
        </Button>
        <Box style={{ minWidth: 260 }}>
          <FormGroup>
            <Select
              label="Checks by itself"
              options={schedules}
              value={interval}
              disabled={!maySchedule}
              onOptionChange={(v: number) => void saveSchedule(v)}
              description={maySchedule ? undefined : refusal('settings.change')}
            />
          </FormGroup>
        </Box>
      </Flex>
      {scheduleNote ? <InlineMessage type={scheduleNote.ok ? 'success' : 'error'} marginTop="small" messages={[{ text: scheduleNote.text }]} /> : null}
      {error ? <InlineMessage type="error" marginTop="small" messages={[{ text: error }]} /> : null}

      {inProgress ? (
        <Box marginTop="medium" data-testid="sweep-progress">
          {live && live.total > 0 ? <ProgressBar percent={Math.round((live.done / live.total) * 100)} /> : <ProgressBar />}
          <Text marginTop="small">
            {live && live.total > 0 ? `Checking stock: ${live.done} of ${live.total} items…` : 'Checking stock: starting…'} You can leave this page; the check goes on.
          </Text>
        </Box>
      ) : null}

      {!inProgress && last ? (
        <Box marginTop="medium" data-testid="last-sweep">
          {last.state === 'failed' ? (
            <InlineMessage type="error" messages={[{ text: `The check of ${when(last.startedAt)} stopped: ${last.error ?? 'no reason was given'}. Press Check stock now to try again.` }]} />
          ) : (
            <Text bold marginBottom="xSmall">
              Last check {when(last.finishedAt ?? last.startedAt)} ({last.trigger === 'schedule' ? 'scheduled' : 'on request'}): {last.total} item{last.total === 1 ? '' : 's'} checked,{' '}
              {last.changed === 0 ? 'BigCommerce matched Lightspeed everywhere.' : `${last.changed} level${last.changed === 1 ? '' : 's'} corrected.`}
            </Text>
          )}
          {last.corrections.length ? (
            <Table
              columns={[
                {
                  header: 'Item',
                  hash: 'name',
                  render: (c) => (c.lsItemId ? <AppLink href={`/items/${encodeURIComponent(c.lsItemId)}/stock`}>{`${c.name}${c.sku ? ` (${c.sku})` : ''}`}</AppLink> : c.name),
                },
                { header: 'Location', hash: 'bcLocationId', render: (c) => label(c.bcLocationId) },
                { header: 'Corrected', hash: 'to', render: (c) => `${c.from ?? 'nothing'} → ${c.to}` },
                { header: 'Why', hash: 'at', render: (c) => `BigCommerce held ${c.from ?? 'no stock record'}; Lightspeed’s count, less online orders and walk-in reserves, is ${c.to}.` },
              ]}
              items={last.corrections}
            />
          ) : null}
        </Box>
      ) : null}
      {!inProgress && !last ? <Text marginTop="medium" marginBottom="none">No stock check yet.</Text> : null}
    </Panel>
  );
}
