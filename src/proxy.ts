/** Runs before every request: the security headers of `app/_lib/security-headers.ts`. */
import { type NextRequest, NextResponse } from 'next/server';
import { securityHeaders } from '@/app/_lib/security-headers';
import { env } from '@/env';

export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  const e = env();
  for (const [name, value] of Object.entries(securityHeaders(request.nextUrl.pathname, { sandbox: e.sandbox, appUrl: e.APP_URL }))) response.headers.set(name, value);
  return response;
}

export const config = {
  // Build assets are immutable and carry their own headers.
  matcher: '/((?!_next/static|_next/image).*)',
};
