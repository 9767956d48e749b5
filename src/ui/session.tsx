'use client';

/**
 * The app session in the browser. The load callback opens the app with a one-time launch code in
 * the URL; this provider (in the root layout, so it lives across in-app navigation) removes the
 * code from the address bar at once, exchanges it for a session token, and sends that token as
 * `Authorization: Bearer` on every API call. The token never appears in a URL.
 *
 * The token lives in memory only, renewed before it expires. Reloading the frame (or a full
 * navigation inside it) resumes the session through POST /api/session/resume, which reads a
 * partitioned, HttpOnly cookie set at the exchange (README, "Sessions"): script never sees it,
 * and browsers that block third-party cookies (and refuse sessionStorage to a framed page) still
 * keep it for the app framed by this control panel, and only there.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import useSWR, { type SWRConfiguration, type SWRResponse } from 'swr';
import type { Action } from '@/core/access/permissions';
import { resumeSchema, type SessionGrant, sessionGrantSchema } from '@/app/api/session/schema';

/** Must match LAUNCH_PARAM of the load callback (src/jobs/lifecycle/bigcommerce.ts). */
const LAUNCH_PARAM = 'launch';

export type SessionState =
  | { status: 'loading' }
  | { status: 'ready'; session: SessionGrant }
  /** Opened without a launch code or a live session (a bookmark, a copied link). */
  | { status: 'none' }
  /** The launch code or the session was refused: used, expired, or access removed. */
  | { status: 'refused'; reason: string };

interface SessionApi {
  state: SessionState;
  /** Asks the server again now (after a 401, or when the owner may have changed the grants). */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionApi>({ state: { status: 'loading' }, refresh: async () => undefined });

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads the launch code and removes it from the address bar (history included) before anything else runs. */
function takeLaunchCode(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get(LAUNCH_PARAM);
  if (!code) return null;
  url.searchParams.delete(LAUNCH_PARAM);
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return code;
}

async function post(path: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(path, { method: 'POST', ...init, cache: 'no-store' });
  const body = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) throw new ApiError((body as { error?: string }).error ?? `request failed with ${res.status}`, res.status);
  return body;
}

const exchange = async (code: string) => sessionGrantSchema.parse(await post('/api/session', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ launchCode: code }) }));
const renewToken = async (token: string) => sessionGrantSchema.parse(await post('/api/session/renew', { headers: { authorization: `Bearer ${token}` } }));
/** A reloaded frame: the partitioned resume cookie (if the browser kept one) buys a token. */
const resume = async () => resumeSchema.parse(await post('/api/session/resume', {})).session;

let launching: Promise<SessionGrant> | null = null;


/** When to renew: two thirds into the token's life, and never sooner than in a second. */
const renewDelay = (grant: SessionGrant) => Math.max(1_000, ((new Date(grant.expiresAt).getTime() - Date.now()) * 2) / 3);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const current = useRef<SessionGrant | null>(null);
  const renewRef = useRef<() => Promise<void>>(async () => undefined);

  const adopt = useCallback((grant: SessionGrant | null, refused?: string) => {
    if (timer.current) clearTimeout(timer.current);
    current.current = grant;
    if (!grant) {
      setState(refused ? { status: 'refused', reason: refused } : { status: 'none' });
      return;
    }
    setState({ status: 'ready', session: grant });
    timer.current = setTimeout(() => void renewRef.current(), renewDelay(grant));
  }, []);

  const renew = useCallback(async (): Promise<void> => {
    const token = current.current?.token;
    try {
      // With a token: renew it. Without (a reloaded frame): resume from the partitioned cookie.
      adopt(token ? await renewToken(token) : await resume());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return adopt(null, error.message);
      // A network hiccup: keep the token we have and try again shortly (it may still be valid).
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void renew(), 5_000);
    }
  }, [adopt]);
  renewRef.current = renew;

  useEffect(() => {
    const code = takeLaunchCode();
    // A code can be exchanged once: a second run of this effect (React's strict mode in
    // development) waits for the same exchange instead of spending it again.
    if (code) launching = exchange(code);
    if (launching) {
      launching.then(
        (grant) => adopt(grant),
        (error: unknown) => adopt(null, error instanceof Error ? error.message : String(error)),
      );
    } else {
      void renew();
    }
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [adopt, renew]);

  const api = useMemo<SessionApi>(() => ({ state, refresh: renew }), [state, renew]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  return useContext(SessionContext);
}

export function useSessionToken(): string | null {
  const { state } = useSession();
  return state.status === 'ready' ? state.session.token : null;
}

/** Whether the signed-in user may take an action (the server checks it again on every request). */
export function useMay(action: Action): boolean {
  const { state } = useSession();
  return state.status === 'ready' && state.session.allowed.includes(action);
}

export async function apiFetch<T>(token: string | null, path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers, cache: 'no-store' });
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(body.error ?? `request failed with ${res.status}`, res.status);
  return body as T;
}

/**
 * SWR over the app API with the session header. The key leaves the token out, so a renewed token
 * does not refetch everything. To follow something that changes on the server, pass
 * `refreshInterval` (a function of the latest data stops polling when it returns 0): SWR does not
 * re-render when a poll returns equal data, so polling from an effect would stall.
 */
export function useApi<T>(path: string | null, options?: SWRConfiguration<T, ApiError>): SWRResponse<T, ApiError> {
  const token = useSessionToken();
  const { refresh } = useSession();
  const tokenRef = useRef(token);
  tokenRef.current = token;
  return useSWR<T, ApiError>(path && token ? ['app-api', path] : null, async ([, p]: [string, string]) => {
    try {
      return await apiFetch<T>(tokenRef.current, p);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) void refresh();
      throw error;
    }
  }, options);
}
