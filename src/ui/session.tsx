'use client';

/**
 * The app session in the browser. The token arrives in the page URL from the load callback and
 * is kept in memory only; every API call carries it as `Authorization: Bearer`, which works in
 * the control panel's cross-site iframe where third-party cookies are blocked.
 */
import { createContext, type ReactNode, useContext } from 'react';
import useSWR, { type SWRConfiguration, type SWRResponse } from 'swr';

const SessionContext = createContext<string | null>(null);

export function SessionProvider({ token, children }: { token: string | null; children: ReactNode }) {
  return <SessionContext.Provider value={token}>{children}</SessionContext.Provider>;
}

export function useSessionToken(): string | null {
  return useContext(SessionContext);
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
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
 * SWR over the app API with the session header. To follow something that changes on the server,
 * pass `refreshInterval` (a function of the latest data stops polling when it returns 0): SWR
 * does not re-render when a poll returns equal data, so polling from an effect would stall.
 */
export function useApi<T>(path: string | null, options?: SWRConfiguration<T, ApiError>): SWRResponse<T, ApiError> {
  const token = useSessionToken();
  return useSWR<T, ApiError>(path && token ? [path, token] : null, ([p, t]: [string, string]) => apiFetch<T>(t, p), options);
}

/** An in-app link that keeps the session (pages are rendered on the server from it). */
export function withSession(path: string, token: string | null): string {
  if (!token) return path;
  return `${path}${path.includes('?') ? '&' : '?'}session=${encodeURIComponent(token)}`;
}
