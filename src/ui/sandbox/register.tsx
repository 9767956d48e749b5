'use client';

/**
 * The sandbox register page: a Lightspeed till for the emulated retailer. Staff pick an outlet
 * and register, then sell, return, receive deliveries, count stock and take the register
 * offline — every action goes over HTTP to the mounted sandbox's control API, and the page
 * shows the resulting stock and the webhooks the sandbox sent.
 */
import { Badge, Box, Button, Flex, FlexItem, H1, H2, InlineMessage, Input, Link, Panel, Select, Table, Tabs, Text } from '@bigcommerce/big-design';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import useSWR from 'swr';
import {
  type ControlSale,
  controlClient,
  describeWebhook,
  errorText,
  lookupProduct,
  type ProductRef,
  type RetailerState,
  type RetailerSummary,
  type SandboxProduct,
  stockAt,
  type WebhookAttempt,
  webhookProductIds,
} from './control-client';
import { describeRef, parseQuantity, randomDeliveryLines, recentSales, returnableLines, round2, saleTotal, stockedProducts } from './till';

type Feedback = { type: 'success' | 'error' | 'warning' | 'info'; header?: string; messages: string[] };
type TabId = 'sell' | 'return' | 'receive' | 'count';

interface CartLine {
  product: SandboxProduct;
  ref: ProductRef;
  quantity: number;
}

interface DeliveryLine {
  product: SandboxProduct;
  ref: ProductRef;
  quantity: number;
}

const TABS: { id: TabId; title: string }[] = [
  { id: 'sell', title: 'Sell' },
  { id: 'return', title: 'Return' },
  { id: 'receive', title: 'Receive delivery' },
  { id: 'count', title: 'Count stock' },
];

const money = (symbol: string, n: number) => `${n < 0 ? '−' : ''}${symbol}${Math.abs(n).toFixed(2)}`;
const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString('en-GB', { hour12: false });
};

function Message({ feedback, testId, onClose }: { feedback: Feedback | null; testId: string; onClose?: () => void }) {
  if (!feedback) return null;
  return (
    <Box marginBottom="medium" data-testid={testId} data-type={feedback.type}>
      <InlineMessage type={feedback.type} header={feedback.header} messages={feedback.messages.map((text) => ({ text }))} onClose={onClose} />
    </Box>
  );
}

export function RegisterPage({ controlBase }: { controlBase: string }) {
  const client = useMemo(() => controlClient(controlBase), [controlBase]);
  const retailers = useSWR(['retailers'], () => client.retailers());
  const prefix = retailers.data?.[0]?.domain_prefix;
  const summary = useSWR(prefix ? ['summary', prefix] : null, () => client.summary(prefix ?? ''), { refreshInterval: 5_000 });
  const state = useSWR(prefix ? ['state', prefix] : null, () => client.state(prefix ?? ''), { refreshInterval: 15_000 });
  const log = useSWR(prefix ? ['webhook-log', prefix] : null, () => client.webhookLog(prefix ?? ''), { refreshInterval: 3_000 });

  const loadError: unknown = retailers.error ?? summary.error ?? state.error;
  if (loadError && !(summary.data && state.data)) {
    return (
      <Shell>
        <Message feedback={{ type: 'error', header: 'The sandbox retailer could not be loaded', messages: errorText(loadError) }} testId="load-error" />
      </Shell>
    );
  }
  if (retailers.data && retailers.data.length === 0) {
    return (
      <Shell>
        <Message feedback={{ type: 'warning', header: 'No sandbox retailer', messages: ['The Lightspeed sandbox has no retailers. Restart the app in sandbox mode to seed one.'] }} testId="load-error" />
      </Shell>
    );
  }
  if (!prefix || !summary.data || !state.data) {
    return (
      <Shell>
        <Text data-testid="loading">Loading the sandbox retailer…</Text>
      </Shell>
    );
  }
  const refresh = async () => {
    await Promise.all([summary.mutate(), state.mutate(), log.mutate()]);
  };
  return <Till prefix={prefix} client={client} summary={summary.data} state={state.data} log={log.data ?? []} refresh={refresh} />;
}

function Shell({ children, title }: { children: ReactNode; title?: ReactNode }) {
  return (
    <Box marginHorizontal={{ mobile: 'medium', tablet: 'xxLarge' }} marginVertical="xLarge">
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="small">
        <H1 marginBottom="none">{title ?? 'Register'}</H1>
        <Badge label="Sandbox" variant="warning" data-testid="sandbox-badge" />
      </Flex>
      {children}
    </Box>
  );
}

interface TillProps {
  prefix: string;
  client: ReturnType<typeof controlClient>;
  summary: RetailerSummary;
  state: RetailerState;
  log: WebhookAttempt[];
  refresh: () => Promise<void>;
}

function Till({ prefix, client, summary, state, log, refresh }: TillProps) {
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

  /** Runs one action: busy flag, success or error message, then fresh sandbox data. */
  const run = async (name: string, show: (f: Feedback) => void, action: () => Promise<Feedback>) => {
    setBusy(name);
    try {
      show(await action());
    } catch (error) {
      show({ type: 'error', header: 'The sandbox refused this', messages: errorText(error) });
    } finally {
      setBusy(null);
      await refresh().catch(() => undefined);
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
        </FlexItem>

        <FlexItem flexGrow={2} flexShrink={1} flexBasis="0" style={{ minWidth: 0, width: '100%' }}>
          <StockPanel state={state} summary={summary} productId={touched} outletId={outlet?.id} />
        </FlexItem>
      </Flex>
      <WebhookPanel state={state} log={log} productId={touched} />
    </Shell>
  );
}

interface ActionProps {
  prefix: string;
  client: ReturnType<typeof controlClient>;
  state: RetailerState;
  busy: string | null;
  run: (name: string, show: (f: Feedback) => void, action: () => Promise<Feedback>) => Promise<void>;
  setFeedback: (f: Feedback | null) => void;
  setTouched: (productId: string) => void;
}

/** A scan field: SKU or barcode plus a quantity, submitted with Enter or the button. */
function ScanForm({
  codeLabel = 'SKU or barcode',
  quantityLabel,
  button,
  testId,
  busy,
  onSubmit,
  extra,
}: {
  codeLabel?: string;
  quantityLabel: string;
  button: string;
  testId: string;
  busy: boolean;
  onSubmit: (code: string, quantity: string) => boolean | Promise<boolean>;
  extra?: ReactNode;
}) {
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await onSubmit(code, quantity)) {
      setCode('');
      setQuantity('1');
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid={testId}>
      <Flex flexDirection={{ mobile: 'column', tablet: 'row' }} flexGap="1rem" alignItems={{ mobile: 'stretch', tablet: 'flex-end' }}>
        <FlexItem flexGrow={3} flexBasis="0">
          <Input label={codeLabel} placeholder="Scan or type, e.g. ST-1001-XS-NVY" value={code} onChange={(e) => setCode(e.target.value)} data-testid={`${testId}-code`} autoComplete="off" />
        </FlexItem>
        <FlexItem flexGrow={1} flexBasis="0">
          <Input label={quantityLabel} type="number" inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} data-testid={`${testId}-quantity`} />
        </FlexItem>
        {extra}
        <Button type="submit" variant="secondary" disabled={busy} data-testid={`${testId}-submit`}>
          {button}
        </Button>
      </Flex>
    </form>
  );
}

function resolve(state: RetailerState, code: string): ReturnType<typeof lookupProduct> | string {
  if (code.trim() === '') return 'Scan or type a SKU or barcode first.';
  return lookupProduct(state, code) ?? `No product with SKU or barcode “${code.trim()}” in the sandbox catalog.`;
}

function SellTab({
  prefix,
  client,
  state,
  registerId,
  registerOffline,
  symbol,
  busy,
  run,
  setFeedback,
  setTouched,
}: ActionProps & { registerId: string | undefined; registerOffline: boolean; symbol: string }) {
  const [cart, setCart] = useState<CartLine[]>([]);
  const [receipt, setReceipt] = useState<ControlSale | null>(null);

  const add = (code: string, rawQuantity: string): boolean => {
    const found = resolve(state, code);
    if (typeof found === 'string' || !found) {
      setFeedback({ type: 'error', messages: [typeof found === 'string' ? found : 'Unknown product.'] });
      return false;
    }
    const quantity = parseQuantity(rawQuantity, 'quantity');
    if (typeof quantity === 'string') {
      setFeedback({ type: 'error', messages: [quantity] });
      return false;
    }
    setCart((lines) => {
      const existing = lines.find((l) => l.product.id === found.product.id);
      return existing ? lines.map((l) => (l === existing ? { ...l, quantity: l.quantity + quantity } : l)) : [...lines, { product: found.product, ref: found.ref, quantity }];
    });
    setTouched(found.product.id);
    setFeedback({ type: 'info', messages: [`Added ${quantity} × ${found.product.name} (${describeRef(found.ref)}).`] });
    return true;
  };

  const complete = () => {
    if (!registerId) {
      setFeedback({ type: 'error', messages: ['Pick a register first: this outlet has none.'] });
      return;
    }
    if (cart.length === 0) {
      setFeedback({ type: 'error', messages: ['The sale is empty: scan at least one item.'] });
      return;
    }
    void run('sell', setFeedback, async () => {
      const result = await client.sell(prefix, { register_id: registerId, lines: cart.map((l) => ({ ref: l.ref, quantity: l.quantity })) });
      setCart([]);
      if (result.held || !result.sale) {
        setReceipt(null);
        return { type: 'warning', header: 'Sale held on the offline register', messages: ['No stock has moved and no webhook was sent. It uploads when the register is back online.'] };
      }
      setReceipt(result.sale);
      return {
        type: 'success',
        header: `Sale complete — invoice ${result.sale.invoice_number}`,
        messages: [`Receipt ${result.sale.receipt_number}, total ${money(symbol, result.sale.totals.price_incl_tax)} incl. tax. Sale id ${result.sale.id}.`],
      };
    });
  };

  const subtotal = round2(cart.reduce((s, l) => s + l.product.price_excluding_tax * l.quantity, 0));
  return (
    <>
      <ScanForm quantityLabel="Quantity" button="Add to sale" testId="sell-scan" busy={busy !== null} onSubmit={add} />
      <Box marginTop="large">
        <Table
          data-testid="cart"
          itemName="Sale lines"
          keyField="id"
          items={cart.map((l) => ({ ...l, id: l.product.id }))}
          emptyComponent={<Text color="secondary60">No items yet: scan a SKU or barcode.</Text>}
          columns={[
            { header: 'Product', hash: 'name', render: (l) => l.product.name },
            { header: 'Scanned', hash: 'ref', render: (l) => describeRef(l.ref) },
            { header: 'Qty', hash: 'qty', align: 'right', render: (l) => l.quantity },
            { header: 'Price', hash: 'price', align: 'right', render: (l) => money(symbol, l.product.price_excluding_tax) },
            { header: 'Line total', hash: 'total', align: 'right', render: (l) => money(symbol, round2(l.product.price_excluding_tax * l.quantity)) },
            {
              header: '',
              hash: 'remove',
              hideHeader: true,
              render: (l) => (
                <Button variant="subtle" onClick={() => setCart((lines) => lines.filter((x) => x.product.id !== l.product.id))}>
                  Remove
                </Button>
              ),
            },
          ]}
        />
      </Box>
      <Flex alignItems="center" justifyContent="space-between" marginTop="medium" flexWrap="wrap" flexGap="1rem">
        <Text bold marginBottom="none" data-testid="cart-subtotal">
          Subtotal {money(symbol, subtotal)} excl. tax
        </Text>
        <Flex flexGap="0.5rem">
          <Button variant="subtle" disabled={cart.length === 0 || busy !== null} onClick={() => setCart([])}>
            Clear
          </Button>
          <Button variant="primary" isLoading={busy === 'sell'} disabled={busy !== null} onClick={complete} data-testid="complete-sale">
            {registerOffline ? 'Complete sale (offline)' : 'Complete sale'}
          </Button>
        </Flex>
      </Flex>
      {receipt ? <Receipt sale={receipt} state={state} symbol={symbol} /> : null}
    </>
  );
}

function Receipt({ sale, state, symbol }: { sale: ControlSale; state: RetailerState; symbol: string }) {
  return (
    <Box marginTop="large" data-testid="receipt" data-sale-id={sale.id}>
      <H2>Receipt {sale.receipt_number}</H2>
      <Text color="secondary60">
        Invoice {sale.invoice_number} · {new Date(sale.date).toLocaleString('en-GB')} · sale {sale.id}
      </Text>
      <Table
        headerless
        items={sale.line_items.map((l, i) => ({ ...l, id: String(i) }))}
        columns={[
          { header: 'Product', hash: 'p', render: (l) => state.products[l.product.id]?.name ?? l.product.id },
          { header: 'Qty', hash: 'q', align: 'right', render: (l) => `× ${l.quantity}` },
          { header: 'Total', hash: 't', align: 'right', render: (l) => money(symbol, l.pricing.total) },
        ]}
      />
      <Text bold marginTop="small">
        Tax {money(symbol, sale.totals.tax)} · Total {money(symbol, sale.totals.price_incl_tax)}
      </Text>
    </Box>
  );
}

function ReturnTab({
  prefix,
  client,
  state,
  registerIds,
  outletName,
  symbol,
  busy,
  run,
  setFeedback,
  setTouched,
}: ActionProps & { registerIds: Set<string>; outletName: string; symbol: string }) {
  const [saleId, setSaleId] = useState<string | undefined>();
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const atOutlet = recentSales(state, registerIds);
  const sales = atOutlet.length > 0 ? atOutlet : recentSales(state, null);
  const sale = sales.find((s) => s.id === saleId);
  const lines = sale ? returnableLines(state, sale) : [];

  const submit = (all: boolean) => {
    if (!sale) {
      setFeedback({ type: 'error', messages: ['Pick a sale to return first.'] });
      return;
    }
    let wanted: { product_id: string; quantity: number }[] | undefined;
    if (!all) {
      wanted = [];
      for (const l of lines) {
        const raw = quantities[l.product_id]?.trim() ?? '';
        if (raw === '' || raw === '0') continue;
        const q = parseQuantity(raw, `quantity to return of ${state.products[l.product_id]?.name ?? l.product_id}`);
        if (typeof q === 'string') return setFeedback({ type: 'error', messages: [q] });
        if (q > l.remaining) return setFeedback({ type: 'error', messages: [`Only ${l.remaining} of ${state.products[l.product_id]?.name ?? l.product_id} can still be returned.`] });
        wanted.push({ product_id: l.product_id, quantity: q });
      }
      if (wanted.length === 0) return setFeedback({ type: 'error', messages: ['Enter a quantity to return on at least one line (or use Return all).'] });
    } else if (lines.every((l) => l.remaining === 0)) {
      return setFeedback({ type: 'error', messages: [`Everything on ${sale.invoice_number} has already been returned.`] });
    }
    const first = wanted?.[0]?.product_id ?? lines.find((l) => l.remaining > 0)?.product_id;
    if (first) setTouched(first);
    void run(all ? 'return-all' : 'return', setFeedback, async () => {
      const returned = await client.returnSale(prefix, { sale_id: sale.id, lines: wanted });
      setQuantities({});
      const items = -returned.line_items.reduce((s, l) => s + l.quantity, 0);
      return {
        type: 'success',
        header: `Returned ${items} item${items === 1 ? '' : 's'} from ${sale.invoice_number}`,
        messages: [`Return sale ${returned.invoice_number}, refund ${money(symbol, -returned.totals.price_incl_tax)}. Stock is back at the sale's outlet.`],
      };
    });
  };

  return (
    <>
      <Select
        label={atOutlet.length > 0 ? `Recent sales at ${outletName}` : 'Recent sales (all outlets)'}
        data-testid="return-sale-select"
        placeholder={sales.length === 0 ? 'No completed sales yet: sell something first' : 'Pick a sale'}
        disabled={sales.length === 0}
        options={sales.map((s) => ({
          value: s.id,
          content: `${s.invoice_number} — ${money(symbol, saleTotal(s))}`,
          description: `${new Date(s.date).toLocaleString('en-GB')} · ${s.line_items.reduce((n, l) => n + l.quantity, 0)} items${s.return_sale_ids.length > 0 ? ' · partly returned' : ''}`,
        }))}
        value={sale?.id}
        onOptionChange={(value) => {
          setSaleId(value);
          setQuantities({});
        }}
      />
      {sale ? (
        <>
          <Box marginTop="large">
            <Table
              data-testid="return-lines"
              keyField="product_id"
              items={lines}
              columns={[
                { header: 'Product', hash: 'p', render: (l) => state.products[l.product_id]?.name ?? l.product_id },
                { header: 'Sold', hash: 's', align: 'right', render: (l) => l.sold },
                { header: 'Returned', hash: 'r', align: 'right', render: (l) => l.returned },
                {
                  header: 'Return now',
                  hash: 'q',
                  width: 140,
                  render: (l) => (
                    <Input
                      aria-label={`Quantity to return of ${state.products[l.product_id]?.name ?? l.product_id}`}
                      type="number"
                      min={0}
                      max={l.remaining}
                      disabled={l.remaining === 0}
                      placeholder={l.remaining === 0 ? '—' : `0–${l.remaining}`}
                      value={quantities[l.product_id] ?? ''}
                      onChange={(e) => setQuantities((q) => ({ ...q, [l.product_id]: e.target.value }))}
                    />
                  ),
                },
              ]}
            />
          </Box>
          <Flex justifyContent="flex-end" flexGap="0.5rem" marginTop="medium">
            <Button variant="secondary" isLoading={busy === 'return'} disabled={busy !== null} onClick={() => submit(false)} data-testid="return-some">
              Return entered quantities
            </Button>
            <Button variant="primary" isLoading={busy === 'return-all'} disabled={busy !== null} onClick={() => submit(true)} data-testid="return-all">
              Return all remaining
            </Button>
          </Flex>
        </>
      ) : null}
    </>
  );
}

function ReceiveTab({ prefix, client, state, outletId, outletName, busy, run, setFeedback, setTouched }: ActionProps & { outletId: string; outletName: string }) {
  const [lines, setLines] = useState<DeliveryLine[]>([]);
  const [bulkCount, setBulkCount] = useState('250');
  const stocked = stockedProducts(state);

  const add = (code: string, rawQuantity: string): boolean => {
    const found = resolve(state, code);
    if (typeof found === 'string' || !found) {
      setFeedback({ type: 'error', messages: [typeof found === 'string' ? found : 'Unknown product.'] });
      return false;
    }
    const quantity = parseQuantity(rawQuantity, 'quantity received');
    if (typeof quantity === 'string') {
      setFeedback({ type: 'error', messages: [quantity] });
      return false;
    }
    setLines((ls) => {
      const existing = ls.find((l) => l.product.id === found.product.id);
      return existing ? ls.map((l) => (l === existing ? { ...l, quantity: l.quantity + quantity } : l)) : [...ls, { product: found.product, ref: found.ref, quantity }];
    });
    setTouched(found.product.id);
    setFeedback({ type: 'info', messages: [`Delivery line: ${quantity} × ${found.product.name}.`] });
    return true;
  };

  const receive = () => {
    if (lines.length === 0) return setFeedback({ type: 'error', messages: ['The delivery has no lines: add at least one SKU or barcode.'] });
    void run('receive', setFeedback, async () => {
      const c = await client.receive(prefix, { outlet_id: outletId, lines: lines.map((l) => ({ ref: l.ref, quantity: l.quantity })) });
      setLines([]);
      return { type: 'success', header: `Received “${c.name}” at ${outletName}`, messages: [`${lines.length} line${lines.length === 1 ? '' : 's'}, +${c.total_count_gain} units (consignment ${c.id}, ${c.status}).`] };
    });
  };

  const receiveBulk = () => {
    const n = parseQuantity(bulkCount, 'number of lines');
    if (typeof n === 'string') return setFeedback({ type: 'error', messages: [n] });
    if (n > stocked.length) return setFeedback({ type: 'error', messages: [`A delivery of ${n} distinct lines is not possible: the catalog has ${stocked.length} stock-tracked products. Nothing was received.`] });
    const picked = randomDeliveryLines(stocked, n);
    const first = picked[0];
    if (first) setTouched(first.product.id);
    void run('bulk', setFeedback, async () => {
      const c = await client.receive(prefix, {
        outlet_id: outletId,
        name: `Supplier delivery (${n} lines)`,
        lines: picked.map((l) => ({ ref: { product_id: l.product.id }, quantity: l.quantity, cost: l.cost })),
      });
      return { type: 'success', header: `Received a supplier delivery of ${n} lines at ${outletName}`, messages: [`+${c.total_count_gain} units across ${n} products (consignment ${c.id}, ${c.status}).`] };
    });
  };

  return (
    <>
      <Text>
        Receiving into <b>{outletName}</b>.
      </Text>
      <ScanForm quantityLabel="Quantity received" button="Add line" testId="receive-scan" busy={busy !== null} onSubmit={add} />
      <Box marginTop="large">
        <Table
          data-testid="delivery-lines"
          keyField="id"
          items={lines.map((l) => ({ ...l, id: l.product.id }))}
          emptyComponent={<Text color="secondary60">No delivery lines yet.</Text>}
          columns={[
            { header: 'Product', hash: 'p', render: (l) => l.product.name },
            { header: 'Scanned', hash: 'r', render: (l) => describeRef(l.ref) },
            { header: 'Qty', hash: 'q', align: 'right', render: (l) => l.quantity },
            { header: 'In stock here', hash: 's', align: 'right', render: (l) => stockAt(state, l.product.id, outletId) },
          ]}
        />
      </Box>
      <Flex justifyContent="flex-end" marginTop="medium">
        <Button variant="primary" isLoading={busy === 'receive'} disabled={busy !== null} onClick={receive} data-testid="receive-delivery">
          Receive delivery
        </Button>
      </Flex>
      <Box marginTop="xLarge">
        <H2>Bulk delivery</H2>
        <Flex flexDirection={{ mobile: 'column', tablet: 'row' }} alignItems={{ mobile: 'stretch', tablet: 'flex-end' }} flexGap="1rem">
          <Box style={{ maxWidth: '10rem' }}>
            <Input label="Lines" type="number" value={bulkCount} onChange={(e) => setBulkCount(e.target.value)} data-testid="bulk-count" />
          </Box>
          <Button variant="secondary" isLoading={busy === 'bulk'} disabled={busy !== null} onClick={receiveBulk} data-testid="receive-bulk">
            Receive a supplier delivery of {bulkCount.trim() || 'N'} random lines
          </Button>
        </Flex>
      </Box>
    </>
  );
}

function CountTab({ prefix, client, state, outletId, outletName, busy, run, setFeedback, setTouched }: ActionProps & { outletId: string; outletName: string }) {
  const count = async (code: string, rawCounted: string): Promise<boolean> => {
    const found = resolve(state, code);
    if (typeof found === 'string' || !found) {
      setFeedback({ type: 'error', messages: [typeof found === 'string' ? found : 'Unknown product.'] });
      return false;
    }
    const counted = parseQuantity(rawCounted, 'counted quantity', { allowZero: true });
    if (typeof counted === 'string') {
      setFeedback({ type: 'error', messages: [counted] });
      return false;
    }
    setTouched(found.product.id);
    const before = stockAt(state, found.product.id, outletId);
    let ok = false;
    await run('count', setFeedback, async () => {
      const c = await client.countStock(prefix, { outlet_id: outletId, lines: [{ ref: found.ref, counted }] });
      ok = true;
      return { type: 'success', header: `Counted ${found.product.name} at ${outletName}`, messages: [`Was ${before}, counted ${counted} (${counted - before >= 0 ? '+' : ''}${counted - before}). Stocktake ${c.id}, ${c.status}.`] };
    });
    return ok;
  };
  return (
    <>
      <Text>
        Counting stock at <b>{outletName}</b>: the counted quantity becomes the stock level.
      </Text>
      <ScanForm quantityLabel="Counted" button="Record count" testId="count-scan" busy={busy !== null} onSubmit={count} />
    </>
  );
}

function StockPanel({ state, summary, productId, outletId }: { state: RetailerState; summary: RetailerSummary; productId: string | undefined; outletId: string | undefined }) {
  const product = productId ? state.products[productId] : undefined;
  return (
    <Panel header="Stock" data-testid="stock-panel">
      {product ? (
        <>
          <Text bold marginBottom="xxSmall" data-testid="stock-product">
            {product.name}
          </Text>
          <Text color="secondary60">
            SKU {product.sku}
            {product.product_codes[0] ? ` · ${product.product_codes[0].type} ${product.product_codes[0].code}` : ''}
          </Text>
          <Table
            keyField="id"
            items={summary.outlets.map((o) => ({ ...o, level: stockAt(state, product.id, o.id) }))}
            columns={[
              { header: 'Outlet', hash: 'name', render: (o) => (o.id === outletId ? <b>{o.name}</b> : o.name) },
              { header: 'On hand', hash: 'level', align: 'right', render: (o) => <span data-testid={`stock-${o.id}`}>{o.level}</span> },
            ]}
          />
        </>
      ) : (
        <Text color="secondary60">Scan, sell, receive or count a product to see its stock at every outlet.</Text>
      )}
    </Panel>
  );
}

/**
 * One row per delivery (not per attempt), so retries update a row instead of burying new events.
 * Ordered by first logged attempt: the log carries no enqueue sequence, and slow deliveries log late.
 */
function deliveries(log: WebhookAttempt[], limit: number) {
  const byDelivery = new Map<string, { first: WebhookAttempt; latest: WebhookAttempt; tries: number }>();
  for (const a of log) {
    const key = `${a.delivery_id}${a.duplicate ? ':dup' : ''}`;
    const entry = byDelivery.get(key);
    if (entry) {
      entry.latest = a;
      entry.tries += 1;
    } else byDelivery.set(key, { first: a, latest: a, tries: 1 });
  }
  return [...byDelivery.values()].slice(-limit).reverse().map((d) => ({ ...d, id: d.first.id }));
}

function WebhookPanel({ state, log, productId }: { state: RetailerState; log: WebhookAttempt[]; productId: string | undefined }) {
  const [onlyProduct, setOnlyProduct] = useState(false);
  const subscriptions = Object.values(state.webhooks).filter((w) => w.active);
  const all = deliveries(log, Number.POSITIVE_INFINITY);
  const product = productId ? state.products[productId] : undefined;
  const filtered = onlyProduct && product ? all.filter((d) => webhookProductIds(d.first).includes(product.id)) : all;
  const recent = filtered.slice(0, 15);
  const urls = [...new Set(subscriptions.map((w) => w.url))];
  return (
    <Panel header="Recent webhooks" data-testid="webhook-panel">
      {subscriptions.length === 0 ? (
        <Box marginBottom="medium">
          <InlineMessage
            type="info"
            messages={[{ text: 'No webhook subscriptions yet: the sandbox only delivers to URLs subscribed through its Lightspeed API, which the app does when Lightspeed is connected.' }]}
          />
        </Box>
      ) : (
        <Text color="secondary60">
          {subscriptions.length} subscription{subscriptions.length === 1 ? '' : 's'} → {urls.join(', ')}
        </Text>
      )}
      <Box marginVertical="medium" style={{ maxWidth: '28rem' }}>
        <Select
          label="Show"
          data-testid="webhook-filter"
          options={[
            { value: 'all', content: 'All deliveries' },
            { value: 'product', content: product ? `Only ${product.name}` : 'Only the product just touched', disabled: !product },
          ]}
          value={onlyProduct && product ? 'product' : 'all'}
          onOptionChange={(value) => setOnlyProduct(value === 'product')}
        />
      </Box>
      <Table
        data-testid="webhook-log"
        keyField="id"
        items={recent}
        emptyComponent={<Text color="secondary60">No deliveries yet.</Text>}
        columns={[
          { header: 'First try', hash: 'at', render: (d) => time(d.first.at) },
          { header: 'Type', hash: 'type', render: (d) => d.first.type },
          { header: 'Carried', hash: 'detail', render: (d) => describeWebhook(state, d.first) },
          {
            header: 'Outcome',
            hash: 'outcome',
            render: (d) => (
              <Badge
                label={`${d.latest.outcome}${d.latest.http_status === null ? '' : ` ${d.latest.http_status}`}`}
                variant={d.latest.outcome === 'delivered' ? 'success' : d.latest.outcome === 'failed' ? 'danger' : 'warning'}
                title={d.latest.error ?? undefined}
              />
            ),
          },
          { header: 'Tries', hash: 'tries', align: 'right', render: (d) => `${d.tries}${d.first.duplicate ? ' (dup)' : ''}` },
          { header: 'Last try', hash: 'last', render: (d) => time(d.latest.at) },
        ]}
      />
      <Text color="secondary60" marginTop="small" marginBottom="none">
        {all.length} deliver{all.length === 1 ? 'y' : 'ies'}, {log.length} attempt{log.length === 1 ? '' : 's'} logged, newest first try first. Like Lightspeed, the sandbox does not promise delivery order, and retries failed deliveries.
      </Text>
    </Panel>
  );
}
