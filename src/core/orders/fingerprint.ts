/**
 * What an order's intake depends on, as BigCommerce lists it: its status, money refunded, total,
 * item count and modification time. Two reads with the same fingerprint need the same intake, so
 * the order poll skips an order whose listing matches the last complete intake's read, instead of
 * reading the order, its products and its refunds again (three requests of the store's quota). A
 * change BigCommerce makes within the same second as the last read still shows in the other
 * fields when it matters to the intake (a status, a refund, an edit of the items). Pure.
 */
export interface OrderListing {
  status_id: number;
  date_modified: string;
  total_inc_tax: string | number;
  refunded_amount?: string | number | undefined;
  items_total: number;
}

export function orderFingerprint(order: OrderListing): string {
  const amount = (v: string | number | undefined) => Number(v ?? 0).toFixed(4);
  return [order.status_id, new Date(order.date_modified).toISOString(), amount(order.total_inc_tax), amount(order.refunded_amount), order.items_total].join('|');
}

/** The order has a last complete intake to compare with: taken in, and not in error since. */
export function hasCompleteIntake(record: { takenIn: string | null; state: string } | undefined): record is { takenIn: string; state: string } {
  return record !== undefined && record.takenIn !== null && record.state !== 'error';
}

/** Whether the order must be taken in (again): no complete intake to go by, or its listing changed since. */
export function needsIntake(listing: OrderListing, record: { takenIn: string | null; state: string } | undefined): boolean {
  return !hasCompleteIntake(record) || record.takenIn !== orderFingerprint(listing);
}
