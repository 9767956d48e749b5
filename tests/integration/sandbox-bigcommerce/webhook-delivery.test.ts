/**
 * Webhook delivery as the webhooks overview describes it, on a VirtualClock so the whole 48 h
 * retry schedule, the 90-day inactivity rule and the three-minute domain blocklist run in
 * milliseconds: real HTTP to a real receiver, virtual time in between.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '@/sandbox/clock';
import { DEFAULT_RETRY_DELAYS_MS } from '@/sandbox/bigcommerce';
import { startReceiver, startSandbox, type Harness, type Receiver } from './helpers';

const DAY = 24 * 3600_000;

describe('BigCommerce sandbox: webhook delivery, retries, deactivation, activation, blocklist', () => {
  let h: Harness | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await h?.close();
    await receiver?.close();
    h = undefined;
    receiver = undefined;
  });

  async function setup(overrides: Parameters<typeof startSandbox>[0] = {}) {
    const clock = new VirtualClock(Date.UTC(2026, 2, 1));
    receiver = await startReceiver();
    h = await startSandbox({ clock, seed: 'delivery', webhookRetryDelaysMs: DEFAULT_RETRY_DELAYS_MS, ...overrides });
    const sandbox = h;
    const advance = (ms: number) => clock.advance(ms, () => sandbox.sandbox.control.webhooksSettled());
    const subscribe = async (scope: string) => (await sandbox.json('/v3/hooks', { method: 'POST', body: { scope, destination: receiver!.url } })).body.data.id as number;
    const order = () => sandbox.sandbox.control.placeOrder(sandbox.hash, { products: [{ name: 'Custom item', quantity: 1, price_inc_tax: 5, price_ex_tax: 5 }] });
    return { clock, advance, subscribe, order, h: sandbox, receiver: receiver };
  }

  it('retries a failing delivery after 60, 180, 300 … 86400 s, then deactivates the hook and emails the app and the admin addresses', async () => {
    const { clock, advance, subscribe, order, h, receiver } = await setup({ policies: { appEmail: 'dev@app.example' } });
    const hookId = await subscribe('store/order/created');
    expect((await h.json('/v3/hooks/admin', { method: 'PUT', body: { emails: ['ops@merchant.example'] } })).status).toBe(204);
    receiver.failWith.push(...Array<number>(12).fill(503));
    const start = clock.now();
    order();
    await advance(49 * 3600_000);

    const offsets = receiver.received.map((r) => Number(r.headers['webhook-timestamp']) * 1000 - start);
    const expected = [0];
    for (const delay of [60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400]) expected.push(expected.at(-1)! + delay * 1000);
    expect(offsets).toEqual(expected);
    expect(expected.at(-1)).toBe(173_040_000); // "cumulatively 48 hours after the first delivery attempt"
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.rawBody)).size).toBe(1);

    const hook = await h.json(`/v3/hooks/${hookId}`);
    expect(hook.body.data.is_active).toBe(false);
    const admin = await h.json('/v3/hooks/admin');
    expect(admin.body.data.emails).toEqual(['ops@merchant.example']);
    expect(admin.body.data.hooks_list).toEqual([expect.objectContaining({ id: hookId, is_active: false, status: 'deactivated' })]);
    expect(h.sandbox.control.emails()).toEqual([
      { at: start + 173_040_000, to: ['dev@app.example', 'ops@merchant.example'], subject: expect.stringContaining(`Webhook ${hookId}`), kind: 'hook_deactivated', store_hash: h.hash, hook_id: hookId },
    ]);

    // A deactivated hook gets nothing; re-enabling it (the documented recovery) resumes delivery.
    order();
    await advance(60_000);
    expect(receiver.received).toHaveLength(12);
    expect((await h.json(`/v3/hooks/${hookId}`, { method: 'PUT', body: { is_active: true } })).body.data.is_active).toBe(true);
    expect((await h.json('/v3/hooks/admin')).body.data.hooks_list[0].status).toBe('active');
    order();
    await advance(0);
    expect(receiver.received.map((r) => r.status).slice(12)).toEqual([200]);
  });

  it('an app that switches a hook off sees it as inactive, not deactivated', async () => {
    const { subscribe, h } = await setup();
    const hookId = await subscribe('store/order/created');
    await h.json(`/v3/hooks/${hookId}`, { method: 'PUT', body: { is_active: false } });
    expect((await h.json('/v3/hooks/admin?is_active=false')).body.data.hooks_list).toEqual([expect.objectContaining({ id: hookId, status: 'inactive' })]);
    const bad = await h.json('/v3/hooks/admin', { method: 'PUT', body: { emails: ['not an email'] } });
    expect(bad.status).toBe(422);
    expect((await h.json('/v3/hooks/admin')).body.data.emails).toEqual([]);
  });

  it('a new hook starts working within the activation delay ("up to one minute"), drawn from the seed', async () => {
    const { clock, advance, subscribe, order, h, receiver } = await setup({ policies: { hookActivationMaxDelayMs: 60_000 } });
    const created = clock.now();
    await subscribe('store/order/created');
    const early = order();
    await advance(0);
    expect(receiver.received).toHaveLength(0);
    const skipped = h.sandbox.control.eventLog().find((e) => e.type === 'webhook.not_yet_active');
    expect(skipped).toMatchObject({ at: created, scope: 'store/order/created' });
    const activatesAt = skipped!.activates_at as number;
    expect(activatesAt - created).toBeGreaterThan(0);
    expect(activatesAt - created).toBeLessThanOrEqual(60_000);

    await advance(activatesAt - clock.now());
    const late = order();
    await advance(0);
    expect(receiver.received.map((r) => r.body.data.id)).toEqual([late.id]);
    expect(late.id).not.toBe(early.id);

    // The same seed draws the same delay.
    const again = await startSandbox({ clock: new VirtualClock(created), seed: 'delivery', policies: { hookActivationMaxDelayMs: 60_000 } }, 'again');
    try {
      await again.json('/v3/hooks', { method: 'POST', body: { scope: 'store/order/created', destination: receiver.url } });
      again.sandbox.control.placeOrder('again', { products: [{ name: 'x', quantity: 1, price_inc_tax: 1, price_ex_tax: 1 }] });
      expect(again.sandbox.control.eventLog().find((e) => e.type === 'webhook.not_yet_active')?.activates_at).toBe(activatesAt);
    } finally {
      await again.close();
    }
  });

  it('deactivates a hook after 90 days without events; each event restarts the count', async () => {
    const { advance, subscribe, order, h, receiver } = await setup();
    const hookId = await subscribe('store/order/created');
    await advance(89 * DAY);
    expect((await h.json(`/v3/hooks/${hookId}`)).body.data.is_active).toBe(true);
    order();
    await advance(0);
    expect(receiver.received).toHaveLength(1);
    await advance(89 * DAY);
    expect((await h.json(`/v3/hooks/${hookId}`)).body.data.is_active).toBe(true);
    await advance(1 * DAY);
    expect((await h.json(`/v3/hooks/${hookId}`)).body.data.is_active).toBe(false);
    expect((await h.json('/v3/hooks/admin')).body.data.hooks_list[0].status).toBe('deactivated');
    order();
    await advance(0);
    expect(receiver.received).toHaveLength(1);
    expect(h.sandbox.control.eventLog().filter((e) => e.type === 'hook.deactivated').map((e) => e.reason)).toEqual(['inactivity']);
  });

  it('blocklists a domain whose success ratio falls below 90 % over 100 requests for three minutes, then sends what waited', async () => {
    const { clock, advance, subscribe, order, h, receiver } = await setup();
    await subscribe('store/order/created');
    await h.json('/v3/hooks/admin', { method: 'PUT', body: { emails: ['ops@merchant.example'] } });
    receiver.failWith.push(...Array<number>(100).fill(500));
    const start = clock.now();
    for (let i = 0; i < 100; i++) order();
    await advance(0);
    expect(receiver.received).toHaveLength(100);

    const admin = await h.json('/v3/hooks/admin');
    expect(admin.body.data.blocked_domains).toEqual([{ destination: 'http://127.0.0.1', time_left: 180, reasons: [{ failure_description: 'HTTP 500', count: 100, timestamp: Math.floor(start / 1000) }] }]);
    expect(h.sandbox.control.emails()).toEqual([expect.objectContaining({ kind: 'domain_blocklisted', to: ['ops@merchant.example'], domain: 'http://127.0.0.1' })]);

    // Sent during the block: not sent, queued for after the block. So are the retries due in it:
    // the 99 failures that came before the one that tripped the block are blocked at their 60 s retry.
    const waiting = order();
    await advance(179_000);
    expect(receiver.received).toHaveLength(100);
    const blocked = h.sandbox.control.deliveries(h.hash).filter((d) => d.outcome === 'blocked');
    expect(blocked).toHaveLength(100);
    expect(blocked.filter((d) => JSON.parse(d.body).data.id === waiting.id)).toHaveLength(1);
    // When the block ends, the waiting message goes out, with the retry scheduled after the
    // tripping failure (its 60 s retry was pushed to the end of the block).
    await advance(1_000);
    const afterBlock = receiver.received.slice(100);
    expect(afterBlock).toHaveLength(2);
    expect(afterBlock.map((r) => r.body.data.id)).toContain(waiting.id);
    expect(afterBlock.every((r) => Number(r.headers['webhook-timestamp']) * 1000 - start === 180_000)).toBe(true);
    expect((await h.json('/v3/hooks/admin')).body.data.blocked_domains).toEqual([]);
    // The 99 blocked at 60 s go out at their next slot: 60 s + 180 s.
    await advance(59_000);
    expect(receiver.received).toHaveLength(102);
    await advance(1_000);
    expect(receiver.received).toHaveLength(201);
    expect(receiver.received.slice(100).every((r) => r.status === 200)).toBe(true);
  });

  it('policy webhookBlockUsesRetrySlot=false: what waited for the block goes out as the same attempt when it ends', async () => {
    const { clock, advance, subscribe, order, h, receiver } = await setup({ policies: { webhookBlockUsesRetrySlot: false } });
    await subscribe('store/order/created');
    receiver.failWith.push(...Array<number>(100).fill(500));
    const start = clock.now();
    for (let i = 0; i < 100; i++) order();
    await advance(0);
    const waiting = order();
    await advance(179_000);
    expect(receiver.received).toHaveLength(100);
    await advance(1_000);
    // Everything that was held (the new message's first attempt, the 99 second attempts blocked
    // at 60 s, and the retry of the failure that tripped the block) goes out when the block ends.
    expect(receiver.received).toHaveLength(201);
    expect(receiver.received.slice(100).every((r) => Number(r.headers['webhook-timestamp']) * 1000 - start === 180_000)).toBe(true);
    const attempts = h.sandbox.control.eventLog().filter((e) => e.type === 'webhook' && e.outcome === 'delivered');
    expect(attempts.find((e) => JSON.parse(e.body as string).data.id === waiting.id)?.attempt).toBe(1);
    expect(attempts.filter((e) => e.attempt === 2)).toHaveLength(100);
  });
});
