/**
 * Request quotas and location limits per plan, over HTTP. Quotas: api-rate-limits guide
 * (Plus & Standard 150 / 30 s, Pro 450 / 30 s, Enterprise "by plan and resource": a policy).
 * Location limits: inventory-locations guide (Standard 4, Plus 5, Pro 8, Enterprise 100) applied
 * to active locations as locations.v3.yml states the limit on create and update.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '@/sandbox/clock';
import { startSandbox, type Harness } from './helpers';

const location = (code: string, enabled = true) => ({ code, label: code, managed_by_external_source: true, type_id: 'VIRTUAL', time_zone: 'Etc/UTC', enabled });

describe('BigCommerce sandbox: plans', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('each plan reports and enforces its own quota in a 30 s window measured on the sandbox clock', async () => {
    const clock = new VirtualClock();
    h = await startSandbox({ clock, policies: { enterpriseQuota: { requests: 1_200, windowMs: 30_000 } } });
    const quotas: Record<string, string | null> = {};
    for (const plan of ['Standard', 'Plus', 'Pro', 'Enterprise'] as const) {
      h.sandbox.control.updateStore(h.hash, { plan });
      await clock.advance(30_000); // a fresh window for each plan
      const res = await h.api('/v2/store');
      quotas[plan] = res.headers.get('x-rate-limit-requests-quota');
      expect(res.headers.get('x-rate-limit-time-window-ms')).toBe('30000');
      expect((await res.json()).plan_level).toBe(plan);
    }
    expect(quotas).toEqual({ Standard: '150', Plus: '150', Pro: '450', Enterprise: '1200' });

    // Pro: 450 answered, the 451st refused until the window (on the virtual clock) ends.
    h.sandbox.control.updateStore(h.hash, { plan: 'Pro' });
    await clock.advance(30_000);
    let last: Response | undefined;
    for (let i = 0; i < 450; i++) last = await h.api('/v2/time');
    expect(last!.status).toBe(200);
    expect(last!.headers.get('x-rate-limit-requests-left')).toBe('0');
    await clock.advance(10_000);
    const refused = await h.api('/v2/time');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-rate-limit-time-reset-ms')).toBe('20000');
    expect(refused.headers.get('x-retry-after')).toBe('20');
    await clock.advance(20_000);
    const fresh = await h.api('/v2/time');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-rate-limit-requests-left')).toBe('449');
    expect((await fresh.json()).time).toBe(Math.floor(clock.now() / 1000));
  });

  it('a store quota set in the control panel overrides the plan, and null gives the plan back', async () => {
    h = await startSandbox();
    h.sandbox.control.updateStore(h.hash, { plan: 'Plus', quota: { requests: 7, windowMs: 1_000 } });
    expect((await h.api('/v2/store')).headers.get('x-rate-limit-requests-quota')).toBe('7');
    h.sandbox.control.updateStore(h.hash, { quota: null });
    expect((await h.api('/v2/store')).headers.get('x-rate-limit-requests-quota')).toBe('150');
  });

  it('caps active locations per plan, the default location included; disabled ones do not count', async () => {
    h = await startSandbox();
    const limits = { Standard: 4, Plus: 5, Pro: 8, Enterprise: 100 } as const;
    for (const [plan, limit] of Object.entries(limits)) {
      const store = `plan${plan.toLowerCase()}`;
      h.sandbox.control.createStore({ hash: store, plan: plan });
      const token = h.sandbox.control.issueToken(store);
      const call = (method: string, body?: unknown) =>
        fetch(`${h!.server.url}/stores/${store}/v3/inventory/locations${method === 'GET' ? '?limit=250' : ''}`, { method, headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      // The default location is one of the `limit`: limit - 1 more fit in one request.
      const fill = await call('POST', Array.from({ length: limit - 1 }, (_, i) => location(`${store}-${i}`)));
      expect(fill.status).toBe(200);
      const over = await call('POST', [location(`${store}-over`)]);
      expect(over.status).toBe(422);
      expect(over.headers.get('content-type')).toContain('application/problem+json');
      expect(await over.json()).toMatchObject({ status: 422, title: expect.stringContaining(`at most ${limit} active locations`), errors: expect.any(Object) });
      const listed = (await (await call('GET')).json()) as { data: { code: string; enabled: boolean }[] };
      expect(listed.data).toHaveLength(limit);
      // A disabled location is not active: it may be created, and enabling it hits the limit.
      const parked = await call('POST', [location(`${store}-parked`, false)]);
      expect(parked.status).toBe(200);
      const parkedId = ((await (await call('GET')).json()) as { data: { id: number; code: string }[] }).data.find((l) => l.code === `${store}-parked`)!.id;
      const enable = await call('PUT', [{ id: parkedId, enabled: true }]);
      expect(enable.status).toBe(422);
      const after = (await (await call('GET')).json()) as { data: { id: number; enabled: boolean }[] };
      expect(after.data.filter((l) => l.enabled)).toHaveLength(limit);
      expect(after.data.find((l) => l.id === parkedId)!.enabled).toBe(false);
    }
  });

  it('a refused create changes nothing, not even the next location id', async () => {
    h = await startSandbox();
    h.sandbox.control.updateStore(h.hash, { plan: 'Standard' });
    expect((await h.json('/v3/inventory/locations', { method: 'POST', body: [location('A'), location('B'), location('C'), location('D')] })).status).toBe(422);
    expect((await h.json('/v3/inventory/locations')).body.data).toHaveLength(1);
    expect((await h.json('/v3/inventory/locations', { method: 'POST', body: [location('A')] })).status).toBe(200);
    expect((await h.json('/v3/inventory/locations?location_code:in=A')).body.data[0].id).toBe(2);
  });

  it('policy locationLimitCounts=all counts disabled locations too; Enterprise limits can be customised', async () => {
    h = await startSandbox({ policies: { locationLimitCounts: 'all' } });
    h.sandbox.control.updateStore(h.hash, { plan: 'Standard' });
    expect((await h.json('/v3/inventory/locations', { method: 'POST', body: [location('A', false), location('B', false), location('C', false)] })).status).toBe(200);
    const over = await h.json('/v3/inventory/locations', { method: 'POST', body: [location('D', false)] });
    expect(over.status).toBe(422);
    expect(over.body.title).toContain('at most 4 locations');

    h.sandbox.control.updateStore(h.hash, { plan: 'Enterprise', maxLocations: 5 });
    expect((await h.json('/v3/inventory/locations', { method: 'POST', body: [location('D')] })).status).toBe(200);
    expect((await h.json('/v3/inventory/locations', { method: 'POST', body: [location('E')] })).status).toBe(422);
  });
});
