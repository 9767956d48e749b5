/**
 * A persisted sandbox (the app's sandbox mode) survives a restart: its sales come back, its run
 * streams carry on (a restart does not hand out the same ids again), and a state file written
 * before sales had attributes loads with the attributes its statuses imply.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saleBody, saleFixture, startSandbox, type SaleJson } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ls-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('restores sales and carries on the id stream after a restart; old state files gain attributes', async () => {
    const persistPath = join(dir, 'lightspeed.json');
    const first = await startSandbox({ persistPath });
    const fx = saleFixture(first.sandbox);
    const product = fx.products[0];
    if (!product) throw new Error('no product');
    const book = async (h: typeof first, body: Record<string, unknown>) => ((await (await h.api('/sales', { method: 'POST', json: body })).json()) as { data: SaleJson }).data;
    const delivery = await book(first, saleBody(fx, { state: 'pending', attributes: ['delivery'], fulfillmentOutletId: fx.warehouseId, lines: [{ productId: product.id, quantity: 1 }] }));
    await first.close();

    const second = await startSandbox({ persistPath });
    const restored = ((await (await second.api(`/sales/${delivery.id}`)).json()) as { data: SaleJson }).data;
    expect(restored).toMatchObject({ id: delivery.id, state: 'pending', attributes: ['delivery'] });
    const next = await book(second, saleBody(fx, { state: 'closed', lines: [{ productId: product.id, quantity: 1 }] }));
    const everyId = (s: SaleJson) => [s.id, ...s.line_items.map((l) => l.id)];
    expect(everyId(next).filter((id) => everyId(delivery).includes(id))).toEqual([]);
    await second.close();

    // A file from before attributes and run streams were stored.
    const file = JSON.parse(readFileSync(persistPath, 'utf8')) as { random?: unknown; retailers: Record<string, { sales: Record<string, { attributes?: unknown }> }> };
    delete file.random;
    for (const r of Object.values(file.retailers)) for (const s of Object.values(r.sales)) delete s.attributes;
    writeFileSync(persistPath, JSON.stringify(file));
    const third = await startSandbox({ persistPath });
    try {
      expect(((await (await third.api(`/sales/${delivery.id}`)).json()) as { data: SaleJson }).data.attributes).toEqual(['delivery']);
      expect(((await (await third.api(`/sales/${next.id}`)).json()) as { data: SaleJson }).data).toMatchObject({ state: 'closed', attributes: [] });
    } finally {
      await third.close();
    }
  });
});
