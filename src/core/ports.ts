/**
 * Ports the sync domain declares and the adapters in `integrations/` and `db/` implement.
 * `core/` itself performs no I/O: it plans, the adapters act.
 */

/** A clock, so domain logic can be tested at any instant. */
export interface Clock {
  now(): Date;
}
