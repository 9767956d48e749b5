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
 * carry one of each pair (the docs' "on-account sale with delivery"); its legacy status then
 * follows the fulfilment attribute, which is what the fulfilment workflow keys on (the docs do
 * not say which one the legacy status shows).
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
/** Which attribute decides the legacy status when a sale has two. */
const PRECEDENCE: SaleAttribute[] = ['delivery', 'pickup', 'service', 'onaccount', 'layby'];

export function statusOf(state: SaleState, attributes: readonly SaleAttribute[]): SaleStatus {
  if (state === 'parked') return 'SAVED';
  if (state === 'voided') return 'VOIDED';
  const lead = PRECEDENCE.find((a) => attributes.includes(a)) ?? 'none';
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

/** Request attributes, checked against the documented values and exclusions. */
export function parseAttributes(raw: readonly string[]): SaleAttribute[] {
  const known = new Set<string>(SALE_ATTRIBUTES);
  const unknown = raw.filter((a) => !known.has(a));
  if (unknown.length > 0) throw new SandboxError(422, `attributes: unknown value ${unknown.map((a) => `"${a}"`).join(', ')} (allowed: ${SALE_ATTRIBUTES.join(', ')})`);
  const attributes = [...new Set(raw)] as SaleAttribute[];
  for (const [a, b] of EXCLUSIVE) {
    if (attributes.includes(a) && attributes.includes(b)) throw new SandboxError(422, `attributes: ${a} and ${b} are mutually exclusive`);
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
export const isAwaitingFulfilment = (status: SaleStatus): boolean => status === 'AWAITING_DISPATCH' || status === 'AWAITING_PICKUP';
