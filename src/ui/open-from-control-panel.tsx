'use client';

import { Box, Button, H1, InlineMessage, Panel, Text } from '@bigcommerce/big-design';

const BIGCOMMERCE_MY_APPS = 'https://login.bigcommerce.com/deep-links/manage/marketplace/apps/my-apps';

/**
 * A page reached without a session (a bookmark, a copied link, a deep link from Lightspeed
 * BackOffice, a used or expired launch link): the app only opens through the BigCommerce control
 * panel, whose load callback carries the deep link back. Shows nothing of the store.
 */
export function OpenFromControlPanel({ deepLink, sandbox, reason, embedded = false }: { deepLink: string; sandbox: boolean; reason?: string | null; embedded?: boolean }) {
  const target = sandbox ? `/sandbox/control-panel?deepLink=${encodeURIComponent(deepLink)}` : BIGCOMMERCE_MY_APPS;
  // The control panel cannot be framed: leave the frame (if any) for the whole window.
  const open = () => window.open(target, '_top');
  const body = (
    <>
      {reason ? <InlineMessage type="warning" messages={[{ text: `${capitalise(reason)}.` }]} marginBottom="medium" /> : null}
      <Text>
        Counterpart runs inside your BigCommerce control panel: open it from Apps › My apps{deepLink !== '/' ? ` and you will land on this page (${deepLink})` : ''}. Links to
        the app cannot be shared or bookmarked; each opening signs you in afresh.
      </Text>
      <Button onClick={open} data-testid="open-control-panel">
        {sandbox ? 'Open the sandbox control panel' : 'Open BigCommerce'}
      </Button>
    </>
  );
  if (embedded) {
    return (
      <Panel header="Open Counterpart from your BigCommerce control panel" data-testid="open-from-control-panel">
        {body}
      </Panel>
    );
  }
  return (
    <Box marginHorizontal="xxLarge" marginVertical="xLarge" data-testid="open-from-control-panel">
      <H1>Open Counterpart from your BigCommerce control panel</H1>
      {body}
    </Box>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/\.$/, '');
