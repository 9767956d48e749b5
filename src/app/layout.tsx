import '@fontsource/source-sans-3/400.css';
import '@fontsource/source-sans-3/600.css';
import '@fontsource/source-sans-3/700.css';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/ui/providers';
import { StyledComponentsRegistry } from '@/ui/styled-registry';

export const metadata: Metadata = {
  title: 'Counterpart',
  description: 'Lightspeed Retail and BigCommerce, in sync at every location.',
  // public/favicon.ico and public/icon.png, rendered from assets/brand/ by scripts/render-brand.mjs.
  icons: { icon: '/favicon.ico', apple: '/icon.png' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <StyledComponentsRegistry>
          <Providers>{children}</Providers>
        </StyledComponentsRegistry>
      </body>
    </html>
  );
}
