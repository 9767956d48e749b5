import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { bigcommerceSandbox, SANDBOX_STORE_HASH } from '@/app/_lib/sandboxes';
import { SANDBOX_PATHS } from '@/env';
import { StorefrontPage } from '@/ui/sandbox/storefront';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Storefront — Counterpart sandbox' };

const query = z.object({
  store: z.string().regex(/^[a-z0-9]{1,32}$/).default(SANDBOX_STORE_HASH),
  channel: z.coerce.number().int().positive().default(1),
});

/** A shopper's storefront for one channel of the sandbox BigCommerce store. Sandbox mode only. */
export default async function SandboxStorefrontPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sandbox = bigcommerceSandbox();
  if (!sandbox) notFound();
  const parsed = query.safeParse(await searchParams);
  if (!parsed.success || !sandbox.control.listStores().some((s) => s.hash === parsed.data.store)) notFound();
  return <StorefrontPage controlBase={`${SANDBOX_PATHS.bigcommerce}/_sandbox`} storeHash={parsed.data.store} channelId={parsed.data.channel} />;
}
