'use client';

import { Box, ProgressCircle, Text } from '@bigcommerce/big-design';
import type { ReactNode } from 'react';
import { OpenFromControlPanel } from './open-from-control-panel';
import { useSession } from './session';

/** Renders its page only with a session; otherwise the way back through the control panel. */
export function RequireSession({ deepLink, sandbox, children }: { deepLink: string; sandbox: boolean; children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'loading') return <Opening />;
  if (state.status !== 'ready') return <OpenFromControlPanel deepLink={deepLink} sandbox={sandbox} reason={state.status === 'refused' ? state.reason : null} />;
  return <>{children}</>;
}

export function Opening() {
  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge" data-testid="opening">
      <ProgressCircle size="small" />
      <Text marginTop="small">Opening Counterpart…</Text>
    </Box>
  );
}
