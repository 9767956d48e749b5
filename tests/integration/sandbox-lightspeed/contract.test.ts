/**
 * The sandbox's sale and fulfilment routes through Lightspeed's official 2026-07 contract:
 * with LS_CONTRACT_PROXY pointing at ../shared/tools/ls-contract/proxy.sh, every request here
 * goes through the validating proxy (Prism, --errors), which answers 422/500 instead of passing
 * on a request or an answer that breaks the contract. Each exchange must come back with the
 * status the sandbox gave, and the proxy's log must flag nothing but the deliberately injected
 * fault (an applied-but-lost sale, seen by the proxy as a reset) and a request made invalid on
 * purpose to show the proxy is checking.
 * Skipped without LS_CONTRACT_PROXY (it needs the proxy's packages, cached outside the project).
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saleBody, saleFixture, startSandbox, until, type FulfillmentJson, type Harness, type SaleFixture, type SaleJson } from './helpers';

const script = process.env.LS_CONTRACT_PROXY;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

let h: Harness;
let fx: SaleFixture;
let proxyUrl = '';
let stopProxy = () => undefined as void;
const output: string[] = [];
/** Requests through the proxy, with the harness's token. */
const viaProxy = (path: string, init: { method?: string; json?: unknown } = {}) =>
  fetch(`${proxyUrl}/${h.sandbox.domainPrefix}/api/2026-07${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${h.token}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });

describe.skipIf(!script)('sale and fulfilment routes through the ls-contract proxy', () => {
  beforeAll(async () => {
    h = await startSandbox();
    fx = saleFixture(h.sandbox);
    const port = await freePort();
    const child = spawn(script ?? '', [h.origin, String(port), '/{domain_prefix}/api/2026-07'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const sink = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      if (process.env.LS_CONTRACT_LOG) appendFileSync(process.env.LS_CONTRACT_LOG, chunk);
    };
    child.stdout.on('data', sink);
    child.stderr.on('data', sink);
    stopProxy = () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    };
    proxyUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++) {
      if (output.join('').includes('Prism is listening')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);
  afterAll(async () => {
    stopProxy();
    await h?.close();
  });

  it('flags nothing but an injected fault and a request made invalid on purpose: sale create/update/void, attributes, existing ids, search, fulfilment list, partial and whole fulfilment', async () => {
    const [a, b] = fx.products;
    if (!a || !b) throw new Error('no products');
    const statuses: [string, number][] = [];
    const call = async (label: string, path: string, init: { method?: string; json?: unknown } = {}) => {
      const res = await viaProxy(path, init);
      const text = await res.text();
      statuses.push([label, res.status]);
      return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    };

    const id = '7c0e0000-0000-4000-8000-000000000001';
    const delivery = await call('create pending delivery', '/sales', {
      method: 'POST',
      json: saleBody(fx, { id, state: 'pending', sourceId: 'bc-9001', fulfillmentOutletId: fx.warehouseId, fulfillmentDetails: [{ type: 'DISPATCH', note: 'leave at door' }], lines: [{ productId: a.id, quantity: 3, method: 'DISPATCH' }] }),
    });
    const sale = (delivery.body as { data: SaleJson }).data;
    await call('create again with the same id', '/sales', { method: 'POST', json: saleBody(fx, { id, state: 'pending', sourceId: 'bc-9001', fulfillmentOutletId: fx.warehouseId, lines: [{ productId: a.id, quantity: 3, method: 'DISPATCH' }] }) });
    await call('create closed on account', '/sales', { method: 'POST', json: saleBody(fx, { state: 'closed', attributes: ['onaccount'], lines: [{ productId: b.id, quantity: 1 }] }) });
    const parked = (await call('create parked', '/sales', { method: 'POST', json: saleBody(fx, { state: 'parked', lines: [{ productId: b.id, quantity: 1 }] }) })).body as { data: SaleJson };
    await call('close parked', `/sales/${parked.data.id}`, { method: 'PUT', json: saleBody(fx, { state: 'closed', lines: [{ id: parked.data.line_items[0]?.id, productId: b.id, quantity: 1 }] }) });
    await call('void', `/sales/${parked.data.id}`, { method: 'PUT', json: { source: { author_id: fx.userId }, state: 'voided' } });
    await call('read sale', `/sales/${sale.id}`);
    await call('list sales', '/sales?page_size=50');
    await call('search sales by state and attributes', '/search?type=sales&state=pending&attributes=delivery');
    await call('search sales by invoice number', `/search?type=sales&invoice_number=${encodeURIComponent(sale.invoice_number)}`);

    const listed = await call('list fulfilments filtered', `/fulfillments?sale_id=${sale.id}&outlet_id=${fx.warehouseId}&fulfillment_type=DISPATCH&fulfillment_state=OPEN&page_number=1&page_size=20`);
    const [f] = (listed.body as { data: FulfillmentJson[] }).data;
    const partial = { version: f?.version, line_items: [{ sale_line_item_id: f?.line_items[0]?.sale_line_item_id, quantity: 1 }] };
    await call('fulfil one unit', `/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: partial });
    await call('replay that fulfilment', `/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: partial });
    await call('stale version', `/fulfillments/${f?.id}/fulfill`, { method: 'POST', json: { ...partial, line_items: [{ ...partial.line_items[0], quantity: 2 }] } });
    await call('fulfil the rest of the sale', '/fulfillments/fulfill', { method: 'POST', json: { sale_id: sale.id } });
    await call('fulfil it again (idempotent)', '/fulfillments/fulfill', { method: 'POST', json: { sale_id: sale.id } });
    await call('list fulfilled', `/fulfillments?sale_id=${sale.id}&fulfillment_state=FULFILLED`);
    expect(statuses).toEqual([
      ['create pending delivery', 200],
      ['create again with the same id', 200],
      ['create closed on account', 200],
      ['create parked', 200],
      ['close parked', 200],
      ['void', 200],
      ['read sale', 200],
      ['list sales', 200],
      ['search sales by state and attributes', 200],
      ['search sales by invoice number', 200],
      ['list fulfilments filtered', 200],
      ['fulfil one unit', 200],
      ['replay that fulfilment', 200],
      ['stale version', 409],
      ['fulfil the rest of the sale', 200],
      ['fulfil it again (idempotent)', 200],
      ['list fulfilled', 200],
    ]);
    const flaggedLines = () =>
      (output.join('').split('Prism is listening')[1] ?? '')
        .split('\n')
        .filter((line) => /✖|⚠|[Vv]iolation/.test(line));
    expect(flaggedLines()).toEqual([]);

    // A deliberately injected fault: the sale is booked, the answer lost (the proxy sees a reset).
    h.sandbox.control.setFaults({ api: [{ route: 'POST /sales', kind: 'lost', nextN: 1 }] });
    const lostId = '7c0e0000-0000-4000-8000-000000000002';
    const lost = await viaProxy('/sales', { method: 'POST', json: saleBody(fx, { id: lostId, state: 'closed', lines: [{ productId: b.id, quantity: 1 }] }) });
    expect(lost.status).toBe(500);
    expect(((await lost.json()) as { title: string }).title).toMatch(/ECONNRESET/);
    expect(h.sandbox.control.state().sales[lostId]?.status).toBe('CLOSED');
    await until(() => flaggedLines().length > 0, 'the proxy to log the reset');
    const resetLine = /post \/sandbox-retailer\/api\/2026-07\/sales ✖ +error +Request terminated with error: FetchError: .* read ECONNRESET/;
    expect(flaggedLines()).toEqual([expect.stringMatching(resetLine)]);
    // The proxy does check: a request without the required `source` is stopped and logged.
    expect((await viaProxy('/sales', { method: 'POST', json: { state: 'closed' } })).status).toBe(422);
    await until(() => flaggedLines().length > 1, 'the proxy to log the refused request');
    expect(flaggedLines()).toEqual([expect.stringMatching(resetLine), expect.stringMatching(/post \/sandbox-retailer\/api\/2026-07\/sales ✖ +error +Request terminated with error: .*UNPROCESSABLE_ENTITY/)]);
  });
});
