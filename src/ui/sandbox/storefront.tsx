'use client';

/**
 * The sandbox storefront: a shopper's view of one channel of the emulated BigCommerce store. It
 * lists what the channel sells (with variants, prices and stock), keeps a cart, and checks out
 * with a shipping address or a store pickup. Every action goes over HTTP to the mounted sandbox's
 * control API, whose checkout places orders through the same code as the Orders API.
 */
import { Badge, Box, Button, Flex, FlexItem, H1, H2, H3, InlineMessage, Input, Panel, Radio, Select, Table, Text } from '@bigcommerce/big-design';
import { type ReactNode, useMemo, useState } from 'react';
import useSWR from 'swr';
import { type Address, availabilityText, money, type Storefront, storefrontClient, type StorefrontClient, type StorefrontProduct, type StorefrontVariant, variantName } from './storefront-client';

interface CartLine {
  product: StorefrontProduct;
  variant: StorefrontVariant;
  quantity: number;
}

type Feedback = { type: 'success' | 'error'; text: string; orderId?: number };

const DEFAULT_ADDRESS: Address = {
  first_name: 'Sam',
  last_name: 'Shopper',
  street_1: '1 Main St',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
  email: 'sam@example.com',
};

interface Props {
  controlBase: string;
  storeHash: string;
  channelId: number;
  /** Inside the sandbox control panel: no page title, and `onOrder` hears of every order placed. */
  embedded?: boolean;
  onOrder?: (orderId: number) => void;
}

export function StorefrontPage({ controlBase, storeHash, channelId, embedded = false, onOrder }: Props) {
  const client = useMemo(() => storefrontClient(controlBase, storeHash), [controlBase, storeHash]);
  const view = useSWR(['storefront', storeHash, channelId], () => client.storefront(channelId));
  if (view.error && !view.data) {
    return (
      <Frame embedded={embedded}>
        <InlineMessage type="error" header="The storefront could not be loaded" messages={[{ text: view.error instanceof Error ? view.error.message : String(view.error) }]} data-testid="storefront-error" />
      </Frame>
    );
  }
  if (!view.data) {
    return (
      <Frame embedded={embedded}>
        <Text data-testid="storefront-loading">Loading the storefront…</Text>
      </Frame>
    );
  }
  return <Shop storefront={view.data} client={client} embedded={embedded} onOrder={onOrder} refresh={() => view.mutate()} />;
}

function Frame({ embedded, title, children }: { embedded: boolean; title?: ReactNode; children: ReactNode }) {
  if (embedded) return <Box data-testid="storefront">{children}</Box>;
  return (
    <Box marginHorizontal={{ mobile: 'medium', tablet: 'xxLarge' }} marginVertical="xLarge" data-testid="storefront">
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="small">
        <H1 marginBottom="none">{title ?? 'Storefront'}</H1>
        <Badge label="Sandbox storefront" variant="warning" />
      </Flex>
      {children}
    </Box>
  );
}

interface ShopProps {
  storefront: Storefront;
  client: StorefrontClient;
  embedded: boolean;
  onOrder?: (orderId: number) => void;
  refresh: () => Promise<unknown>;
}

function Shop({ storefront, client, embedded, onOrder, refresh }: ShopProps) {
  const [cart, setCart] = useState<CartLine[]>([]);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const addToCart = (product: StorefrontProduct, variant: StorefrontVariant, quantity: number) => {
    setFeedback(null);
    setCart((lines) => {
      const existing = lines.find((l) => l.variant.id === variant.id);
      if (existing) return lines.map((l) => (l === existing ? { ...l, quantity: l.quantity + quantity } : l));
      return [...lines, { product, variant, quantity }];
    });
  };
  const placed = async (orderId: number, status: string) => {
    setCart([]);
    setFeedback({ type: 'success', text: `Order #${orderId} placed — ${status}.`, orderId });
    onOrder?.(orderId);
    await refresh();
  };
  const modeText = storefront.stock_mode === 'aggregated' ? 'aggregated stock (every enabled location)' : 'the default location’s stock';
  return (
    <Frame embedded={embedded} title={storefront.store.name}>
      <Text color="secondary60">
        Channel {storefront.channel.id} ({storefront.channel.name}) of store <b>{storefront.store.hash}</b>. The storefront sells {modeText}; a pickup sells the pickup location’s stock. Orders go through
        BigCommerce’s order code, paid at once.
      </Text>
      {feedback ? (
        <Box marginBottom="medium" data-testid="checkout-message" data-type={feedback.type} data-order-id={feedback.orderId}>
          <InlineMessage type={feedback.type} messages={[{ text: feedback.text }]} onClose={() => setFeedback(null)} />
        </Box>
      ) : null}
      <Flex flexDirection={{ mobile: 'column', desktop: 'row' }} flexGap="1.5rem" alignItems="flex-start">
        <FlexItem flexGrow={3} flexShrink={1} flexBasis="0" style={{ minWidth: 0, width: '100%' }}>
          <Panel header="Products" data-testid="products">
            {storefront.products.length === 0 ? <Text color="secondary60">This channel sells nothing yet: products must be visible and assigned to it.</Text> : null}
            <Flex flexWrap="wrap" flexGap="1rem">
              {storefront.products.map((p) => (
                <ProductCard key={p.id} product={p} onAdd={addToCart} />
              ))}
            </Flex>
          </Panel>
        </FlexItem>
        <FlexItem flexGrow={2} flexShrink={1} flexBasis="0" style={{ minWidth: 0, width: '100%' }}>
          <Checkout storefront={storefront} client={client} cart={cart} setCart={setCart} onPlaced={placed} onError={(text) => setFeedback({ type: 'error', text })} />
        </FlexItem>
      </Flex>
    </Frame>
  );
}

function ProductCard({ product, onAdd }: { product: StorefrontProduct; onAdd: (p: StorefrontProduct, v: StorefrontVariant, quantity: number) => void }) {
  const first = product.variants.find((v) => v.purchasable) ?? product.variants[0];
  const [variantId, setVariantId] = useState<number | undefined>(first?.id);
  const [quantity, setQuantity] = useState('1');
  const variant = product.variants.find((v) => v.id === variantId) ?? first;
  const qty = Number(quantity);
  const validQty = Number.isInteger(qty) && qty >= 1;
  return (
    <Box border="box" borderRadius="normal" padding="medium" style={{ width: 280 }} data-testid="product-card" data-product-id={product.id}>
      <H3 marginBottom="xxSmall">{product.name}</H3>
      <Text color="secondary60" marginBottom="xSmall">
        {[product.sku || null, ...product.categories].filter(Boolean).join(' · ') || '\u00a0'}
      </Text>
      {product.variants.length > 1 ? (
        <Select
          label="Option"
          aria-label={`Option for ${product.name}`}
          data-testid="variant-select"
          options={product.variants.map((v) => ({ value: v.id, content: variantName(product, v), description: availabilityText(v) }))}
          value={variant?.id}
          onOptionChange={(value) => setVariantId(value)}
        />
      ) : null}
      {variant ? (
        <Flex alignItems="center" flexGap="0.5rem" marginVertical="small">
          <Text bold marginBottom="none">
            {money(variant.price)}
          </Text>
          <Badge label={availabilityText(variant)} variant={variant.purchasable ? 'success' : 'secondary'} data-testid="availability" />
        </Flex>
      ) : null}
      <Flex flexGap="0.5rem" alignItems="flex-end">
        <Box style={{ width: 80 }}>
          <Input label="Qty" type="number" min={1} value={quantity} onChange={(e) => setQuantity(e.target.value)} data-testid="quantity" error={validQty ? undefined : 'At least 1'} />
        </Box>
        <Button
          disabled={!variant?.purchasable || !validQty}
          onClick={() => {
            if (!variant) return;
            onAdd(product, variant, qty);
            setQuantity('1');
          }}
          data-testid="add-to-cart"
        >
          Add to cart
        </Button>
      </Flex>
    </Box>
  );
}

interface CheckoutProps {
  storefront: Storefront;
  client: StorefrontClient;
  cart: CartLine[];
  setCart: (lines: CartLine[]) => void;
  onPlaced: (orderId: number, status: string) => Promise<void>;
  onError: (text: string) => void;
}

const ADDRESS_FIELDS: { key: keyof Address; label: string }[] = [
  { key: 'first_name', label: 'First name' },
  { key: 'last_name', label: 'Last name' },
  { key: 'email', label: 'Email' },
  { key: 'street_1', label: 'Street' },
  { key: 'city', label: 'City' },
  { key: 'state', label: 'State' },
  { key: 'zip', label: 'ZIP' },
];

function Checkout({ storefront, client, cart, setCart, onPlaced, onError }: CheckoutProps) {
  const [mode, setMode] = useState<'shipping' | 'pickup'>('shipping');
  const [methodId, setMethodId] = useState<number | undefined>(storefront.pickup_methods[0]?.id);
  const [address, setAddress] = useState<Address>(DEFAULT_ADDRESS);
  const [busy, setBusy] = useState(false);
  const total = cart.reduce((sum, l) => sum + l.variant.price * l.quantity, 0);
  const method = storefront.pickup_methods.find((m) => m.id === methodId);

  const placeOrder = async () => {
    if (cart.length === 0) return onError('The cart is empty: add a product first.');
    if (mode === 'pickup' && !method) return onError('Choose where to pick the order up.');
    setBusy(true);
    try {
      const result = await client.checkout({
        channel_id: storefront.channel.id,
        lines: cart.map((l) => ({ product_id: l.product.id, variant_id: l.variant.id, quantity: l.quantity })),
        billing_address: address,
        fulfilment: mode === 'pickup' && method ? { type: 'pickup', pickup_method_id: method.id } : { type: 'shipping', address },
      });
      await onPlaced(result.order.id, result.order.status);
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel header="Cart and checkout" data-testid="checkout">
      <Table
        data-testid="cart"
        itemName="Cart lines"
        keyField="id"
        items={cart.map((l) => ({ ...l, id: l.variant.id }))}
        emptyComponent={<Text color="secondary60">The cart is empty.</Text>}
        columns={[
          { header: 'Item', hash: 'item', render: (l) => (l.product.variants.length > 1 ? `${l.product.name} — ${variantName(l.product, l.variant)}` : l.product.name) },
          { header: 'Qty', hash: 'qty', align: 'right', render: (l) => l.quantity },
          { header: 'Total', hash: 'total', align: 'right', render: (l) => money(l.variant.price * l.quantity) },
          {
            header: '',
            hash: 'remove',
            align: 'right',
            render: (l) => (
              <Button variant="subtle" actionType="destructive" onClick={() => setCart(cart.filter((x) => x !== l))}>
                Remove
              </Button>
            ),
          },
        ]}
      />
      <Text bold marginTop="small" data-testid="cart-total">
        Total {money(total)}
      </Text>
      <H2 marginTop="large">Delivery</H2>
      <Flex flexDirection="column" flexGap="0.5rem">
        <Radio label="Ship to an address" checked={mode === 'shipping'} onChange={() => setMode('shipping')} data-testid="fulfilment-shipping" />
        <Radio
          label="Pick up in store"
          checked={mode === 'pickup'}
          disabled={storefront.pickup_methods.length === 0}
          description={storefront.pickup_methods.length === 0 ? 'No pickup methods at visible locations.' : undefined}
          onChange={() => setMode('pickup')}
          data-testid="fulfilment-pickup"
        />
      </Flex>
      {mode === 'pickup' ? (
        <Box marginTop="medium">
          <Select
            label="Pickup location"
            data-testid="pickup-select"
            options={storefront.pickup_methods.map((m) => ({ value: m.id, content: `${m.display_name} — ${m.location.label}`, description: m.location.address }))}
            value={methodId}
            onOptionChange={(value) => setMethodId(value)}
          />
          {method?.collection_instructions ? <Text marginTop="xSmall">{method.collection_instructions}</Text> : null}
        </Box>
      ) : null}
      <H2 marginTop="large">{mode === 'pickup' ? 'Your details' : 'Shipping address'}</H2>
      <Flex flexWrap="wrap" flexGap="0.75rem">
        {ADDRESS_FIELDS.filter((f) => mode === 'shipping' || ['first_name', 'last_name', 'email'].includes(f.key)).map((f) => (
          <Box key={f.key} style={{ width: 180 }}>
            <Input label={f.label} value={address[f.key]} onChange={(e) => setAddress({ ...address, [f.key]: e.target.value })} data-testid={`address-${f.key}`} />
          </Box>
        ))}
      </Flex>
      <Box marginTop="large">
        <Button onClick={() => void placeOrder()} isLoading={busy} disabled={busy} data-testid="place-order">
          Place order and pay
        </Button>
      </Box>
    </Panel>
  );
}
