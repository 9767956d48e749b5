'use client';

import { Badge } from '@bigcommerce/big-design';
import type { OrderRow, OrderSale, OrderState } from '@/app/api/orders/schema';

type Variant = 'success' | 'warning' | 'danger' | 'secondary' | 'primary';

const STATES: Record<OrderState, { label: string; variant: Variant; title: string }> = {
  recorded: { label: 'received', variant: 'secondary', title: 'Counterpart has the order and is working on it' },
  unmanaged: { label: 'not handled', variant: 'secondary', title: 'Not booked in Lightspeed by Counterpart (another channel, or no synced items)' },
  waiting: { label: 'awaiting payment', variant: 'secondary', title: 'Booked in Lightspeed once BigCommerce says it is paid' },
  routed: { label: 'routed', variant: 'primary', title: 'Routed to a store; being booked in Lightspeed' },
  booked: { label: 'booked in Lightspeed', variant: 'primary', title: 'Waiting for the store to dispatch it or hand it over' },
  fulfilled: { label: 'fulfilled', variant: 'success', title: 'Shipped or collected, and BigCommerce says so' },
  cancelled: { label: 'cancelled', variant: 'secondary', title: 'Cancelled in BigCommerce; its Lightspeed sale is voided' },
  refunded: { label: 'refunded', variant: 'secondary', title: 'Refunded in BigCommerce' },
  error: { label: 'error', variant: 'danger', title: 'Something went wrong: see the cause and Retry' },
};

export function OrderStateBadge({ order }: { order: OrderRow }) {
  const s = STATES[order.state];
  return <Badge label={s.label} variant={s.variant} title={s.title} />;
}

export function saleLabel(sale: OrderSale, pickup: boolean): { label: string; variant: Variant } {
  switch (sale.state) {
    case 'booking':
      return sale.error ? { label: 'not booked', variant: 'danger' } : { label: 'booking…', variant: 'primary' };
    case 'booked':
      if (sale.fulfilledUnits > 0) return { label: pickup ? `${sale.fulfilledUnits} of ${sale.units} collected` : `${sale.fulfilledUnits} of ${sale.units} dispatched`, variant: 'warning' };
      return { label: pickup ? 'awaiting pickup' : 'awaiting dispatch', variant: 'warning' };
    case 'fulfilled':
      return { label: pickup ? 'picked up' : 'dispatched', variant: 'success' };
    case 'voided':
      return { label: 'voided', variant: 'secondary' };
  }
}

export function SaleBadge({ sale, pickup }: { sale: OrderSale; pickup: boolean }) {
  const { label, variant } = saleLabel(sale, pickup);
  return <Badge label={label} variant={variant} />;
}
