'use client';

import { Link } from '@bigcommerce/big-design';
import { useRouter } from 'next/navigation';
import type { MouseEvent, ReactNode } from 'react';

/**
 * A link inside the app. A plain click navigates in place (client-side), so the page keeps its
 * session in memory; a modified click (new tab, new window) is left to the browser, whose new
 * page asks the merchant to open the app from the control panel, as a copied link does.
 */
export function AppLink({ href, children, ...rest }: { href: string; children: ReactNode; 'data-testid'?: string }) {
  const router = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.push(href);
  };
  return (
    <Link href={href} onClick={onClick} {...rest}>
      {children}
    </Link>
  );
}
