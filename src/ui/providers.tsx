'use client';

import { GlobalStyles } from '@bigcommerce/big-design';
import { theme } from '@bigcommerce/big-design-theme';
import type { ReactNode } from 'react';
import { ThemeProvider } from 'styled-components';
import { SessionProvider } from './session';

/** Theme and session, for every page: in the root layout, so in-app navigation keeps both. */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <ThemeProvider theme={theme}>
      <GlobalStyles />
      <SessionProvider>{children}</SessionProvider>
    </ThemeProvider>
  );
}
