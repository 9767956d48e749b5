/**
 * Webhook delivery as X-Series documents it (docs/webhooks): a 2xx within 5 s acknowledges, and
 * otherwise "the request will be retried up to 20 times over 48h and those retries will be
 * scheduled with exponential back-off". On a virtual clock the whole 48 h run in milliseconds;
 * deliveries go to real HTTP receivers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '@/sandbox/clock';
import { LIGHTSPEED_RETRY_DELAYS_MS, type SandboxEvent } from '@/sandbox/lightspeed';
import { saleFixture, startSandbox, startScriptedReceiver, until, type Harness } from './helpers';

const HOUR = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setUp(answer: Parameters<typeof startScriptedReceiver>[0], config: Parameters<typeof startSandbox>[0] = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 6, 1));
  // `webhookRetryDelaysMs: undefined` drops the test helpers' short delays: Lightspeed's own schedule.
  const h: Harness = await startSandbox({ clock, webhookRetryDelaysMs: undefined, ...config });
  const receiver = await startScriptedReceiver(answer);
  cleanups.push(async () => {
    receiver.release();
    await h.close();
    await receiver.close();
  });
  expect((await h.api('/webhooks', { method: 'POST', json: { url: receiver.url, type: 'inventory.update', active: true } })).status).toBe(201);
  const fx = saleFixture(h.sandbox);
  const product = fx.products[0];
  if (!product) throw new Error('no product');
  /** One stock change: one inventory.update delivery. */
  const touch = (level: number) => h.sandbox.control.setInventoryLevel(undefined, { outlet_id: fx.storeId, product_id: product.id, level });
  /** Runs the clock until no timer is left, letting every in-flight delivery answer before time moves on. */
  const runAll = () => clock.runAll(7 * 24 * HOUR, () => h.sandbox.control.webhooksSettled());
  const attempts = () => h.sandbox.control.eventLog().filter((e): e is Extract<SandboxEvent, { kind: 'webhook.attempt' }> => e.kind === 'webhook.attempt');
  return { clock, h, receiver, touch, runAll, attempts };
}

describe('the documented retry schedule', () => {
  it('is 20 delays growing by one factor that add up to 48 h', () => {
    expect(LIGHTSPEED_RETRY_DELAYS_MS).toHaveLength(20);
    const total = LIGHTSPEED_RETRY_DELAYS_MS.reduce((s, d) => s + d, 0);
    expect(total).toBeLessThanOrEqual(48 * HOUR);
    expect(total).toBeGreaterThan(48 * HOUR - 1_000);
    const ratios = LIGHTSPEED_RETRY_DELAYS_MS.slice(1).map((d, i) => d / (LIGHTSPEED_RETRY_DELAYS_MS[i] ?? 1));
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0] ?? 0, 3);
    expect(ratios[0]).toBeGreaterThan(1);
  });
});

describe('a receiver that never acknowledges', () => {
  it('gets the first attempt and 20 retries over at most 48 h, further and further apart, then nothing more', async () => {
    const { clock, receiver, touch, runAll, attempts } = await setUp(() => 500);
    const t0 = clock.now();
    touch(7);
    await runAll();
    const tries = attempts();
    expect(tries.map((a) => a.attempt)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(tries.every((a) => a.outcome === 'failed' && a.http_status === 500 && a.delivery_id === tries[0]?.delivery_id)).toBe(true);
    expect(receiver.received).toHaveLength(21);
    const times = tries.map((a) => Date.parse(a.at));
    expect(times[0]).toBe(t0);
    const last = times[20] ?? 0;
    expect(last - t0).toBeLessThanOrEqual(48 * HOUR);
    // Jitter takes at most 10% off each delay: the run still spans most of the window.
    expect(last - t0).toBeGreaterThan(0.9 * 48 * HOUR);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1] ?? 0);
    // Each failed attempt says when the next one is due, and it came then; the last says none.
    for (let i = 0; i < 20; i++) expect(tries[i]?.next_attempt_at).toBe(tries[i + 1]?.at);
    expect(tries[20]?.next_attempt_at).toBeNull();
    expect(clock.pending).toBe(0);
  });

  it('counts no answer within 5 s (on the sandbox clock) as a failure and retries it', async () => {
    const { clock, h, receiver, touch, attempts } = await setUp(({ seen }) => (seen === 0 ? 'hang' : 204));
    const t0 = clock.now();
    touch(6);
    await clock.advance(0);
    await until(() => receiver.received.length === 1, 'the first attempt to arrive');
    await clock.advance(4_999);
    expect(attempts().map((a) => a.outcome)).toEqual(['pending']);
    await clock.advance(1);
    await h.sandbox.control.webhooksSettled();
    const [first] = attempts();
    expect(first).toMatchObject({ attempt: 1, outcome: 'failed', http_status: null, error: 'no 2xx within 5000 ms' });
    const retryAt = Date.parse(first?.next_attempt_at ?? '');
    expect(retryAt - t0).toBeGreaterThan(0.9 * (LIGHTSPEED_RETRY_DELAYS_MS[0] ?? 0));
    expect(retryAt - t0).toBeLessThanOrEqual(LIGHTSPEED_RETRY_DELAYS_MS[0] ?? 0);
    await clock.runAll(HOUR, () => h.sandbox.control.webhooksSettled());
    expect(attempts().map((a) => [a.attempt, a.outcome, a.at])).toEqual([
      [1, 'failed', new Date(t0).toISOString().replace('.000Z', '+00:00')],
      [2, 'delivered', new Date(retryAt).toISOString().replace('.000Z', '+00:00')],
    ]);
  });

  it('stops retrying once a 2xx comes back', async () => {
    const { receiver, touch, runAll, attempts } = await setUp(({ seen }) => (seen < 3 ? 503 : 204));
    touch(5);
    await runAll();
    expect(attempts().map((a) => [a.attempt, a.outcome, a.http_status])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'failed', 503],
      [4, 'delivered', 204],
    ]);
    expect(receiver.received).toHaveLength(4);
  });
});

describe('deactivation (undocumented: a named setting)', () => {
  it('by default a subscription stays active after deliveries exhaust their retries, and later events still go out', async () => {
    const { h, receiver, touch, runAll } = await setUp(({ form }) => (JSON.parse(form.get('payload') ?? '{}') as { count: number }).count === 4 ? 204 : 500, {
      webhookRetryDelaysMs: [1_000, 2_000],
    });
    touch(3);
    await runAll();
    expect(receiver.received).toHaveLength(3);
    const [hook] = ((await (await h.api('/webhooks')).json()) as { data: { active: boolean }[] }).data;
    expect(hook?.active).toBe(true);
    touch(4);
    await runAll();
    expect(receiver.received).toHaveLength(4);
  });

  it('with webhookDeactivateAfterFailedDeliveries the subscription is switched off after that many exhausted deliveries in a row', async () => {
    const { h, receiver, touch, runAll } = await setUp(() => 500, { webhookRetryDelaysMs: [1_000, 2_000], webhookDeactivateAfterFailedDeliveries: 2 });
    touch(3);
    await runAll();
    touch(2);
    await runAll();
    expect(receiver.received).toHaveLength(6);
    const [hook] = ((await (await h.api('/webhooks')).json()) as { data: { active: boolean }[] }).data;
    expect(hook?.active).toBe(false);
    expect(h.sandbox.control.eventLog().filter((e) => e.kind === 'webhook.deactivated')).toHaveLength(1);
    touch(1);
    await runAll();
    expect(receiver.received).toHaveLength(6);
  });
});
