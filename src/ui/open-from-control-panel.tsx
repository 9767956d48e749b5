'use client';

import { Box, Button, H1, InlineMessage, Text } from '@bigcommerce/big-design';

/**
 * A page reached without a session (a bookmark, a deep link from Lightspeed BackOffice): the app
 * only opens through the BigCommerce control panel, whose load callback carries the deep link back.
 */
export function OpenFromControlPanel({ deepLink, sandbox, expired }: { deepLink: string; sandbox: boolean; expired: boolean }) {
  const target = sandbox ? `/sandbox/control-panel?deepLink=${encodeURIComponent(deepLink)}` : `https://login.bigcommerce.com/deep-links/manage/marketplace/apps/my-apps`;
  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge">
      <H1>Open Counterpart from BigCommerce</H1>
      {expired ? <InlineMessage type="warning" messages={[{ text: 'Your session has expired or access was removed.' }]} marginBottom="medium" /> : null}
      <Text>
        Counterpart runs inside your BigCommerce control panel. Open it there and you will land on this page ({deepLink}).
      </Text>
      <Button onClick={() => window.location.assign(target)} data-testid="open-control-panel">
        {sandbox ? 'Open the sandbox control panel' : 'Open BigCommerce'}
      </Button>
    </Box>
  );
}
