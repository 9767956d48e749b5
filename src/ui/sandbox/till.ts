/** Pure helpers behind the register page: parsing what staff type, recent sales, what is returnable. */
import type { ProductRef, RetailerState, SandboxProduct, StateSale } from './control-client';

/** A whole, positive quantity typed into a field; an error message otherwise. */
export function parseQuantity(raw: string, what: string, { allowZero = false } = {}): number | string {
  const text = raw.trim();
  if (text === '') return `Enter a ${what}.`;
  const n = Number(text);
  if (!Number.isInteger(n)) return `The ${what} must be a whole number, not “${text}”.`;
  if (allowZero ? n < 0 : n <= 0) return allowZero ? `The ${what} cannot be negative.` : `The ${what} must be at least 1 (got ${n}).`;
  if (n > 100_000) return `The ${what} ${n} is implausibly large.`;
  return n;
}

export const describeRef = (ref: ProductRef): string => ('sku' in ref ? `SKU ${ref.sku}` : 'barcode' in ref ? `barcode ${ref.barcode}` : `product ${ref.product_id}`);

/** Sales staff could return: completed, not themselves returns, newest first. */
export function recentSales(state: RetailerState, registerIds: Set<string> | null, limit = 10): StateSale[] {
  return Object.values(state.sales)
    .filter((s) => s.return_for === null && s.status !== 'VOIDED' && s.status !== 'SAVED')
    .filter((s) => registerIds === null || registerIds.has(s.register_id))
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.invoice_number.localeCompare(a.invoice_number))
    .slice(0, limit);
}

export interface ReturnableLine {
  product_id: string;
  sold: number;
  returned: number;
  remaining: number;
  price: number;
}

/** Per product: sold on the sale, already taken back by earlier (non-voided) returns, what is left. */
export function returnableLines(state: RetailerState, sale: StateSale): ReturnableLine[] {
  const lines = new Map<string, ReturnableLine>();
  for (const l of sale.line_items) {
    if (l.status === 'VOIDED' || l.quantity <= 0) continue;
    const entry = lines.get(l.product_id) ?? { product_id: l.product_id, sold: 0, returned: 0, remaining: 0, price: l.price };
    entry.sold += l.quantity;
    lines.set(l.product_id, entry);
  }
  for (const id of sale.return_sale_ids) {
    const r = state.sales[id];
    if (!r || r.status === 'VOIDED') continue;
    for (const l of r.line_items) {
      const entry = lines.get(l.product_id);
      if (entry && l.status !== 'VOIDED') entry.returned += -l.quantity;
    }
  }
  return [...lines.values()].map((l) => ({ ...l, remaining: Math.max(0, l.sold - l.returned) }));
}

export function saleTotal(sale: StateSale): number {
  return round2(sale.line_items.filter((l) => l.status !== 'VOIDED').reduce((s, l) => s + (l.price + l.tax_amount) * l.quantity, 0));
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Products a delivery can contain: live, stock-tracked, not a variant family's parent. */
export function stockedProducts(state: RetailerState): SandboxProduct[] {
  return Object.values(state.products).filter((p) => p.deleted_at === null && !p.is_family_parent && p.has_inventory);
}

/** N distinct random products with random quantities (1–12), for a bulk supplier delivery. */
export function randomDeliveryLines(products: SandboxProduct[], n: number, random: () => number = Math.random) {
  const pool = [...products];
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as SandboxProduct, pool[i] as SandboxProduct];
  }
  return pool.slice(0, n).map((p) => ({ product: p, quantity: 1 + Math.floor(random() * 12), cost: p.supply_price }));
}
