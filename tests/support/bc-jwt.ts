/** Mints signed_payload_jwt values the way BigCommerce does (HS256 with the client secret). */
import { SignJWT } from 'jose';

export interface MintOptions {
  secret: string;
  clientId: string;
  storeHash: string;
  user?: { id: number; email: string };
  owner?: { id: number; email: string };
  url?: string;
  /** Seconds relative to now. */
  nbfOffset?: number;
  expOffset?: number;
  iss?: string;
  alg?: 'HS256' | 'HS512';
}

export function mintSignedPayload(o: MintOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    user: o.user ?? { id: 1001, email: 'owner@store.test', locale: 'en-US' },
    owner: o.owner ?? { id: 1001, email: 'owner@store.test' },
    url: o.url ?? '/',
    channel_id: null,
  })
    .setProtectedHeader({ alg: o.alg ?? 'HS256', typ: 'JWT' })
    .setIssuer(o.iss ?? 'bc')
    .setAudience(o.clientId)
    .setSubject(`stores/${o.storeHash}`)
    .setIssuedAt(now + (o.nbfOffset ?? 0))
    .setNotBefore(now + (o.nbfOffset ?? 0))
    .setExpirationTime(now + (o.expOffset ?? 86_400))
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(o.secret));
}
