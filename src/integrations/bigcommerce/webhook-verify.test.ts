import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyBigCommerceWebhook, WebhookRejected } from './webhook-verify';

const secret = 'client-secret-abc';
const body = JSON.stringify({
  scope: 'store/order/created',
  store_id: '1025646',
  data: { type: 'order', id: 250 },
  hash: 'dd70c0976e06',
  created_at: 1561479335,
  producer: 'stores/abc123',
});

/** Signs independently of the code under test: HMAC-SHA256(secret, "{id}.{ts}.{body}"), base64. */
function sign(id: string, ts: number, raw: string, key = secret) {
  const signature = createHmac('sha256', Buffer.from(key, 'utf8')).update(`${id}.${ts}.${raw}`).digest('base64');
  return new Headers({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${signature}` });
}
const now = () => Math.floor(Date.now() / 1000);

describe('verifyBigCommerceWebhook', () => {
  it('accepts a correctly signed delivery and returns the parsed event', () => {
    const delivery = verifyBigCommerceWebhook(body, sign('msg_1', now(), body), secret);
    expect(delivery).toMatchObject({ deliveryId: 'msg_1', topic: 'store/order/created', storeHash: 'abc123', data: { type: 'order', id: 250 } });
  });

  it('accepts any of several space-separated signatures', () => {
    const headers = sign('msg_2', now(), body);
    headers.set('webhook-signature', `v1,AAAA ${headers.get('webhook-signature')}`);
    expect(verifyBigCommerceWebhook(body, headers, secret).deliveryId).toBe('msg_2');
  });

  it.each([
    ['a wrong secret', () => sign('m', now(), body, 'other-secret'), body],
    ['a tampered body', () => sign('m', now(), body), body.replace('250', '251')],
    ['a stale timestamp (replay)', () => sign('m', now() - 3600, body), body],
    ['a timestamp from the future', () => sign('m', now() + 3600, body), body],
    ['missing headers', () => new Headers({ 'webhook-id': 'm' }), body],
    ['a malformed signature header', () => new Headers({ 'webhook-id': 'm', 'webhook-timestamp': String(now()), 'webhook-signature': 'garbage' }), body],
  ])('rejects %s with 401', (_label, headers, raw) => {
    const error = (() => {
      try {
        verifyBigCommerceWebhook(raw, headers(), secret);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WebhookRejected);
    expect((error as WebhookRejected).status).toBe(401);
  });

  it('rejects a signed body that is not a BigCommerce callback with 400', () => {
    const raw = JSON.stringify({ hello: 'world' });
    expect(() => verifyBigCommerceWebhook(raw, sign('m', now(), raw), secret)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
