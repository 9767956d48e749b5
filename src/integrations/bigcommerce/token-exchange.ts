/** The auth callback's code exchange at BigCommerce's OAuth token endpoint. */
import { z } from 'zod';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  scope: z.string(),
  user: z.object({ id: z.number().int(), email: z.string(), username: z.string().optional() }),
  owner: z.object({ id: z.number().int(), email: z.string(), username: z.string().optional() }).optional(),
  context: z.string().regex(/^stores\/[a-z0-9]+$/i),
  account_uuid: z.string().optional(),
});

export const authCallbackQuerySchema = z.object({
  code: z.string().min(1, 'code is missing'),
  scope: z.string().min(1, 'scope is missing'),
  context: z.string().regex(/^stores\/[a-z0-9]+$/i, 'context must be stores/{hash}'),
  account_uuid: z.string().optional(),
});
export type AuthCallbackQuery = z.infer<typeof authCallbackQuerySchema>;

export interface InstallGrant {
  storeHash: string;
  accessToken: string;
  scope: string;
  user: { id: number; email: string };
  owner?: { id: number; email: string };
}

export class TokenExchangeError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'TokenExchangeError';
  }
}

export async function exchangeAuthCode(
  query: AuthCallbackQuery,
  app: { loginUrl: string; clientId: string; clientSecret: string; redirectUri: string },
  fetchImpl: typeof fetch = fetch,
): Promise<InstallGrant> {
  const res = await fetchImpl(`${app.loginUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: query.code,
      context: query.context,
      scope: query.scope,
      grant_type: 'authorization_code',
      redirect_uri: app.redirectUri,
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new TokenExchangeError(`BigCommerce refused the authorization code (${res.status}): ${text.slice(0, 300)}`, res.status);
  const parsed = tokenResponseSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new TokenExchangeError('BigCommerce answered the code exchange with an unexpected body', 502);
  const body = parsed.data;
  return {
    storeHash: body.context.slice('stores/'.length),
    accessToken: body.access_token,
    scope: body.scope,
    user: { id: body.user.id, email: body.user.email },
    owner: body.owner ? { id: body.owner.id, email: body.owner.email } : undefined,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
