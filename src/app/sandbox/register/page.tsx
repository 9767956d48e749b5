import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { env, SANDBOX_PATHS } from '@/env';
import { RegisterPage } from '@/ui/sandbox/register';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Register — Counterpart sandbox' };

/** The sandbox "register page": staff actions on the emulated Lightspeed retailer. Sandbox mode only. */
export default function SandboxRegisterPage() {
  if (!env().sandbox) notFound();
  return <RegisterPage controlBase={`${SANDBOX_PATHS.lightspeed}/_sandbox`} />;
}
