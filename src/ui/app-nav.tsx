'use client';

import { Box, Tabs } from '@bigcommerce/big-design';
import { usePathname, useRouter } from 'next/navigation';

/**
 * The app's navigation: one tab per page, shown at the top of every page the merchant reaches from
 * the control panel. Tabs navigate in place (client-side), so the session held in memory stays.
 * A page is in the product only once it is listed here.
 */
export const APP_PAGES = [
  { id: '/', title: 'Overview' },
  { id: '/items', title: 'Enable items' },
  { id: '/locations', title: 'Locations' },
  { id: '/activity', title: 'Activity' },
] as const;

/** The tab a path belongs to: the longest page path that prefixes it (so /items/… stays on Enable items). */
export function activePage(pathname: string): string {
  const matches = APP_PAGES.filter((page) => page.id === '/' ? pathname === '/' : pathname === page.id || pathname.startsWith(`${page.id}/`));
  return matches.sort((a, b) => b.id.length - a.id.length)[0]?.id ?? '/';
}

export function AppNav() {
  const router = useRouter();
  const pathname = usePathname() ?? '/';
  return (
    <Box as="nav" aria-label="Counterpart" data-testid="app-nav" marginBottom="large">
      <Tabs
        activeTab={activePage(pathname)}
        items={APP_PAGES.map((page) => ({ id: page.id, title: page.title }))}
        onTabClick={(id) => {
          if (id !== activePage(pathname)) router.push(id);
        }}
      />
    </Box>
  );
}
