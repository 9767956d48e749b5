'use client';

/**
 * The till: pick an outlet and register (open, online, held sales), then the action tabs, the
 * orders waiting at the outlet, the stock of the product just touched and the webhook log.
 */
import { Badge, Box, Button, Flex, FlexItem, Link, Panel, Select, Tabs, Text } from '@bigcommerce/big-design';
import { useState } from 'react';
import useSWR from 'swr';
import { type controlClient, errorText, type RetailerState, type RetailerSummary, type WebhookAttempt } from '../control-client';
import { OrdersToFulfil } from './orders-to-fulfil';
import { type Feedback, Message, money, Shell } from './parts';
import { ReturnTab } from './return-tab';
import { SellTab } from './sell-tab';
import { CountTab, ReceiveTab } from './stock-actions';
import { StockPanel } from './stock-panel';
import { WebhookPanel } from './webhook-log';

type TabId = 'sell' | 'return' | 'receive' | 'count';

const TABS: { id: TabId; title: string }[] = [
  { id: 'sell', title: 'Sell' },
  { id: 'return', title: 'Return' },
  { id: 'receive', title: 'Receive delivery' },
  { id: 'count', title: 'Count stock' },
];

interface TillProps {
  prefix: string;
  client: ReturnType<typeof controlClient>;
  summary: RetailerSummary;
  state: RetailerState;
  log: WebhookAttempt[];
  refresh: () => Promise<void>;
}

export function Till({ prefix, client, summary, state, log, refresh }: TillProps) {
  const [chosenOutlet, setChosenOutlet] = useState<string | undefined>();
  const [chosenRegister, setChosenRegister] = useState<string | undefined>();
  const [tab, setTab] = useState<TabId>('sell');
  const [touched, setTouched] = useState<string | undefined>();
  const [tillFeedback, setTillFeedback] = useState<Feedback | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const outlet = summary.outlets.find((o) => o.id === chosenOutlet) ?? summary.outlets.find((o) => o.kind === 'store') ?? summary.outlets[0];
  const outletRegisters = summary.registers.filter((r) => r.outlet_id === outlet?.id);
  const register = outletRegisters.find((r) => r.id === chosenRegister) ?? outletRegisters.find((r) => r.is_open) ?? outletRegisters[0];
  const symbol = (outlet && state.outlets[outlet.id]?.currency_symbol) ?? '$';
  const orders = useSWR(outlet ? ['fulfilments', prefix, outlet.id] : null, () => client.openFulfilments(prefix, outlet?.id ?? ''), { refreshInterval: 5_000 });

  /** Runs one action: busy flag, success or error message, then fresh sandbox data. */
  const run = async (name: string, show: (f: Feedback) => void, action: () => Promise<Feedback>) => {
    setBusy(name);
    try {
      show(await action());
    } catch (error) {
      show({ type: 'error', header: 'The sandbox refused this', messages: errorText(error) });
    } finally {
      setBusy(null);
      await Promise.all([refresh(), orders.mutate()]).catch(() => undefined);
    }
  };

  const toggleOffline = () => {
    if (!register) return;
    if (register.offline) {
      void run('online', setTillFeedback, async () => {
        const { uploaded } = await client.setOnline(prefix, register.id);
        return {
          type: 'success',
          header: `${register.name} is back online`,
          messages: [
            uploaded.length === 0
              ? 'No held sales to upload.'
              : `Uploaded ${uploaded.length} held sale${uploaded.length === 1 ? '' : 's'}: ${uploaded.map((s) => `${s.invoice_number} (${money(symbol, s.totals.price_incl_tax)})`).join(', ')}.`,
          ],
        };
      });
    } else {
      void run('offline', setTillFeedback, async () => {
        await client.setOffline(prefix, register.id);
        return { type: 'warning', header: `${register.name} is offline`, messages: ['Sales rung up now are held on the register — no stock change, no webhooks — until it is back online.'] };
      });
    }
  };

  const openRegister = () => {
    if (!register) return;
    void run('open', setTillFeedback, async () => {
      await client.openRegister(prefix, register.id);
      return { type: 'success', messages: [`${register.name} is open.`] };
    });
  };

  return (
    <Shell title={`Register — ${summary.name}`}>
      <Text color="secondary60">
        Emulated Lightspeed Retail (X-Series) retailer <b>{summary.domain_prefix}</b>: everything here changes the sandbox&apos;s data and sends its webhooks, as a
        real till would. <Link href="/">Back to Counterpart</Link>
      </Text>
      <Flex flexDirection={{ mobile: 'column', desktop: 'row' }} flexGap="1.5rem" alignItems="flex-start">
        <FlexItem flexGrow={3} flexShrink={1} flexBasis="0" style={{ minWidth: 0, width: '100%' }}>
          <Panel header="Till" data-testid="till-panel">
            <Message feedback={tillFeedback} testId="till-message" onClose={() => setTillFeedback(null)} />
            <Flex flexDirection={{ mobile: 'column', tablet: 'row' }} flexGap="1rem">
              <FlexItem flexGrow={1} flexBasis="0">
                <Select
                  label="Outlet"
                  data-testid="outlet-select"
                  options={summary.outlets.map((o) => ({ value: o.id, content: o.name, description: o.kind === 'warehouse' ? 'Warehouse — no registers' : 'Store' }))}
                  value={outlet?.id}
                  onOptionChange={(value) => {
                    setChosenOutlet(value);
                    setChosenRegister(undefined);
                    setTillFeedback(null);
                  }}
                />
              </FlexItem>
              <FlexItem flexGrow={1} flexBasis="0">
                <Select
                  label="Register"
                  data-testid="register-select"
                  disabled={outletRegisters.length === 0}
                  placeholder={outletRegisters.length === 0 ? 'This outlet has no registers' : undefined}
                  options={outletRegisters.map((r) => ({
                    value: r.id,
                    content: r.name,
                    description: `${r.is_open ? 'Open' : 'Closed'} · ${r.offline ? 'Offline' : 'Online'} · ${r.held_sales} held`,
                  }))}
                  value={register?.id}
                  onOptionChange={(value) => {
                    setChosenRegister(value);
                    setTillFeedback(null);
                  }}
                />
              </FlexItem>
            </Flex>
            {register ? (
              <Flex alignItems="center" flexGap="0.5rem" flexWrap="wrap" marginTop="medium" data-testid="register-status">
                <Badge label={register.is_open ? 'Open' : 'Closed'} variant={register.is_open ? 'success' : 'secondary'} />
                <Badge label={register.offline ? 'Offline' : 'Online'} variant={register.offline ? 'danger' : 'success'} data-testid="register-connectivity" />
                <Badge label={`${register.held_sales} held sale${register.held_sales === 1 ? '' : 's'}`} variant={register.held_sales > 0 ? 'warning' : 'secondary'} data-testid="held-count" />
                <Box marginLeft="auto">
                  <Flex flexGap="0.5rem">
                    {!register.is_open ? (
                      <Button variant="secondary" isLoading={busy === 'open'} disabled={busy !== null} onClick={openRegister}>
                        Open register
                      </Button>
                    ) : null}
                    <Button
                      variant="secondary"
                      actionType={register.offline ? 'normal' : 'destructive'}
                      isLoading={busy === 'offline' || busy === 'online'}
                      disabled={busy !== null}
                      onClick={toggleOffline}
                      data-testid="offline-toggle"
                    >
                      {register.offline ? 'Bring back online' : 'Take register offline'}
                    </Button>
                  </Flex>
                </Box>
              </Flex>
            ) : (
              <Text marginTop="medium">{outlet?.name ?? 'This outlet'} has no registers: receive deliveries and count stock here; sell and return at a store.</Text>
            )}
          </Panel>

          <Panel>
            <Tabs
              activeTab={tab}
              items={TABS.map((t) => ({ id: t.id, title: t.title }))}
              onTabClick={(id) => {
                setTab(id as TabId);
                setFeedback(null);
              }}
            />
            <Box marginTop="large">
              <Message feedback={feedback} testId="action-message" onClose={() => setFeedback(null)} />
              {tab === 'sell' ? (
                <SellTab prefix={prefix} client={client} state={state} registerId={register?.id} registerOffline={register?.offline ?? false} symbol={symbol} busy={busy} run={run} setFeedback={setFeedback} setTouched={setTouched} />
              ) : null}
              {tab === 'return' ? (
                <ReturnTab prefix={prefix} client={client} state={state} registerIds={new Set(outletRegisters.map((r) => r.id))} outletName={outlet?.name ?? ''} symbol={symbol} busy={busy} run={run} setFeedback={setFeedback} setTouched={setTouched} />
              ) : null}
              {tab === 'receive' && outlet ? (
                <ReceiveTab prefix={prefix} client={client} state={state} outletId={outlet.id} outletName={outlet.name} busy={busy} run={run} setFeedback={setFeedback} setTouched={setTouched} />
              ) : null}
              {tab === 'count' && outlet ? (
                <CountTab prefix={prefix} client={client} state={state} outletId={outlet.id} outletName={outlet.name} busy={busy} run={run} setFeedback={setFeedback} setTouched={setTouched} />
              ) : null}
            </Box>
          </Panel>

          <OrdersToFulfil
            outletName={outlet?.name ?? 'this outlet'}
            orders={orders.data}
            state={state}
            busy={busy}
            run={run}
            fulfil={(input) => client.fulfil(prefix, input)}
          />
        </FlexItem>

        <FlexItem flexGrow={2} flexShrink={1} flexBasis="0" style={{ minWidth: 0, width: '100%' }}>
          <StockPanel state={state} summary={summary} productId={touched} outletId={outlet?.id} />
        </FlexItem>
      </Flex>
      <WebhookPanel state={state} log={log} productId={touched} />
    </Shell>
  );
}

