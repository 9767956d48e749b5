/**
 * Verification of the `signed_payload_jwt` BigCommerce sends to the load, uninstall and
 * remove-user callbacks: HS256 keyed with the client secret, `iss` = "bc", `aud` = client id,
 * `exp` and `nbf` with at most 60 s of clock skew, `sub` = `stores/{hash}`.
 * (The official sample app skips the audience check; we do not.)
 */
import { errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';

export const CLOCK_SKEW_SECONDS = 60;

const claimsSchema = z.object({
  iss: z.literal('bc'),
  sub: z.string().regex(/^stores\/[a-z0-9]+$/i, 'expected stores/{hash}'),
  exp: z.number(),
  nbf: z.number(),
  iat: z.number().optional(),
  jti: z.string().optional(),
  user: z.object({ id: z.number().int(), email: z.string(), locale: z.string().optional() }),
  owner: z.object({ id: z.number().int(), email: z.string() }),
  url: z.string().optional(),
  channel_id: z.number().int().nullable().optional(),
});

export interface SignedPayload {
  storeHash: string;
  user: { id: number; email: string; locale?: string };
  owner: { id: number; email: string };
  /** Deep link inside the app (always a path, never another origin). */
  url: string;
  channelId: number | null;
}

export class CallbackVerificationError extends Error {
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'CallbackVerificationError';
  }
}

/** Only same-app paths: a deep link must never send the merchant to another origin. */
export function safeDeepLink(url: string | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.includes('\\')) return '/';
  return url;
}

export async function verifySignedPayload(
  token: string | null | undefined,
  app: { clientId: string; clientSecret: string },
  now: Date = new Date(),
): Promise<SignedPayload> {
  if (!token) throw new CallbackVerificationError('signed_payload_jwt is missing');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(app.clientSecret), {
      algorithms: ['HS256'],
      issuer: 'bc',
      audience: app.clientId,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
      requiredClaims: ['exp', 'nbf', 'sub'],
    }));
  } catch (error) {
    throw new CallbackVerificationError(describeJoseError(error));
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new CallbackVerificationError(`signed_payload_jwt claims are malformed: ${claims.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const c = claims.data;
  return {
    storeHash: c.sub.slice('stores/'.length),
    user: c.user,
    owner: c.owner,
    url: safeDeepLink(c.url),
    channelId: c.channel_id ?? null,
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'signed_payload_jwt has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'signed_payload_jwt was issued for another app (audience mismatch)';
    if (error.claim === 'nbf') return 'signed_payload_jwt is not valid yet';
    if (error.claim === 'iss') return 'signed_payload_jwt was not issued by BigCommerce';
    return `signed_payload_jwt claim "${error.claim}" is invalid`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signed_payload_jwt signature does not match (forged or signed with another secret)';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'signed_payload_jwt uses an algorithm other than HS256';
  return 'signed_payload_jwt is not a valid JWT';
}
