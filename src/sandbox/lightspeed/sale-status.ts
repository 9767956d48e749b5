/**
 * A sale's 2026-07 `state` and `attributes` and the legacy status they stand for, as
 * x-series-api.lightspeedhq.com/docs/sales_states_and_attributes maps them:
 *
 *   SAVED parked · OPEN pending · VOIDED voided · CLOSED closed
 *   ONACCOUNT pending+onaccount · ONACCOUNT_CLOSED closed+onaccount
 *   LAYBY pending+layby · LAYBY_CLOSED closed+layby
 *   AWAITING_DISPATCH pending+delivery · DISPATCHED_CLOSED closed+delivery
 *   AWAITING_PICKUP pending+pickup · PICKED_UP_CLOSED closed+pickup
 *   SERVICE pending+service · SERVICE_CLOSED closed+service
 *
 * "onaccount OR layby" and "pickup OR delivery" are mutually exclusive (same page). A sale can
 * carry one of each pair (the docs' "on-account sale with delivery"); the docs do not say which
 * one its legacy status shows, so that is the `legacyStatusPrecedence` policy (policies.ts). The
 * fulfilment workflow keys on state and attributes, never on the legacy status, so either
 * reading leaves it unchanged.
 */
import { SandboxError } from './inventory';
import { SALE_ATTRIBUTES, type SaleAttribute, type SaleState, type SaleStatus } from './types';

export type FulfilmentType = 'DISPATCH' | 'PICKUP';

const PENDING: Record<SaleAttribute | 'none', SaleStatus> = {
  delivery: 'AWAITING_DISPATCH',
  pickup: 'AWAITING_PICKUP',
  onaccount: 'ONACCOUNT',
  layby: 'LAYBY',
  service: 'SERVICE',
  none: 'OPEN',
};
const CLOSED: Record<SaleAttribute | 'none', SaleStatus> = {
  delivery: 'DISPATCHED_CLOSED',
  pickup: 'PICKED_UP_CLOSED',
  onaccount: 'ONACCOUNT_CLOSED',
  layby: 'LAYBY_CLOSED',
  service: 'SERVICE_CLOSED',
  none: 'CLOSED',
};
export type StatusPrecedence = 'fulfilment' | 'payment';

/** Which attribute decides the legacy status when a sale has two. */
const PRECEDENCE: Record<StatusPrecedence, SaleAttribute[]> = {
  fulfilment: ['delivery', 'pickup', 'service', 'onaccount', 'layby'],
  payment: ['onaccount', 'layby', 'delivery', 'pickup', 'service'],
};

export function statusOf(state: SaleState, attributes: readonly SaleAttribute[], precedence: StatusPrecedence = 'fulfilment'): SaleStatus {
  if (state === 'parked') return 'SAVED';
  if (state === 'voided') return 'VOIDED';
  const lead = PRECEDENCE[precedence].find((a) => attributes.includes(a)) ?? 'none';
  return state === 'pending' ? PENDING[lead] : CLOSED[lead];
}

export function stateOfStatus(status: SaleStatus): SaleState {
  if (status === 'SAVED') return 'parked';
  if (status === 'VOIDED') return 'voided';
  return status === 'CLOSED' || status.endsWith('_CLOSED') ? 'closed' : 'pending';
}

/** The attribute a legacy status implies (for state persisted before attributes were stored). */
export function attributesOfStatus(status: SaleStatus): SaleAttribute[] {
  for (const attribute of SALE_ATTRIBUTES) if (PENDING[attribute] === status || CLOSED[attribute] === status) return [attribute];
  return [];
}

const EXCLUSIVE: [SaleAttribute, SaleAttribute][] = [
  ['onaccount', 'layby'],
  ['pickup', 'delivery'],
];

/**
 * Request attributes, checked against the documented values and exclusions. `errorStatus` is the
 * `attributeErrorStatus` policy: the spec declares no error status for these routes.
 */
export function parseAttributes(raw: readonly string[], errorStatus: 422 | 400 = 422): SaleAttribute[] {
  const known = new Set<string>(SALE_ATTRIBUTES);
  const unknown = raw.filter((a) => !known.has(a));
  if (unknown.length > 0) throw new SandboxError(errorStatus, `attributes: unknown value ${unknown.map((a) => `"${a}"`).join(', ')} (allowed: ${SALE_ATTRIBUTES.join(', ')})`);
  const attributes = [...new Set(raw)] as SaleAttribute[];
  for (const [a, b] of EXCLUSIVE) {
    if (attributes.includes(a) && attributes.includes(b)) throw new SandboxError(errorStatus, `attributes: ${a} and ${b} are mutually exclusive`);
  }
  return attributes;
}

export function fulfilmentTypeOf(attributes: readonly SaleAttribute[]): FulfilmentType | null {
  if (attributes.includes('delivery')) return 'DISPATCH';
  if (attributes.includes('pickup')) return 'PICKUP';
  return null;
}

export const attributeOfFulfilment = (type: FulfilmentType): SaleAttribute => (type === 'DISPATCH' ? 'delivery' : 'pickup');

export const isClosedStatus = (status: SaleStatus): boolean => stateOfStatus(status) === 'closed';
/** A pending sale marked for delivery or pickup (AWAITING_DISPATCH / AWAITING_PICKUP, whatever its legacy status reads). */
export const isAwaitingFulfilment = (sale: { status: SaleStatus; attributes: readonly SaleAttribute[] }): boolean =>
  stateOfStatus(sale.status) === 'pending' && fulfilmentTypeOf(sale.attributes) !== null;
