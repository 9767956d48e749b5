/**
 * Behaviours the X-Series documentation leaves open, made explicit and switchable. Each default
 * is the documented behaviour where the docs speak, or the most likely one where they do not;
 * README.md (the fidelity table) gives the source or the reasoning for each.
 */
import { z } from 'zod';

export const salePoliciesSchema = z.object({
  /**
   * When stock leaves the shelf for a sale awaiting dispatch or pickup. X-Series: "Fulfilling:
   * Marking an item as delivered to or picked up by the customer. Triggers inventory movements."
   * (docs/fulfillments_partial_fulfillment) → 'at-fulfilment'. 'at-sale' moves it when the sale
   * is created, as the sandbox did before.
   */
  stockTiming: z.enum(['at-fulfilment', 'at-sale']),
  /**
   * POST /sales naming an `id` that already exists. The 2026-07 spec documents only a 200 and says
   * of line ids "If included in the POST request it will cause an update instead of creating a new
   * object" → 'update' (the POST applies like PUT /sales/{id}). 'return-existing' answers 200 with
   * the stored sale unchanged; 'conflict' answers 409 (the sandbox's old, undocumented behaviour).
   */
  existingSaleId: z.enum(['update', 'return-existing', 'conflict']),
  /**
   * A new sale whose `source.id` (with `source.type`) another sale already has. Nothing in the spec
   * makes source ids unique → 'allow'; 'conflict' answers 409.
   */
  duplicateSourceId: z.enum(['allow', 'conflict']),
  /**
   * The legacy status of a sale with both a payment attribute (`onaccount`/`layby`) and a
   * fulfilment one (`delivery`/`pickup`): docs/sales_states_and_attributes shows the combination
   * ("an on-account sale with delivery") but not its legacy status. 'fulfilment' (AWAITING_DISPATCH,
   * DISPATCHED_CLOSED …, default) names what staff still have to do; 'payment' (ONACCOUNT,
   * ONACCOUNT_CLOSED …) names how it is being paid. Either way the sale
   * awaits fulfilment while it is pending with a fulfilment attribute. Applies to statuses
   * computed after the switch.
   */
  legacyStatusPrecedence: z.enum(['fulfilment', 'payment']),
  /**
   * The status for `attributes` the docs refuse (an unknown value; `onaccount`+`layby` or
   * `pickup`+`delivery`, "mutually exclusive"). The spec declares only 200 for POST /sales and
   * PUT /sales/{id}: 422 (default, the body is well-formed but its content is refused) or 400.
   * Nothing is booked either way.
   */
  attributeErrorStatus: z.union([z.literal(422), z.literal(400)]),
  /**
   * Stock for an OPEN sale (`pending`, no attribute). The statuses page describes stock for
   * CLOSED, ONACCOUNT and VOIDED but not OPEN: 'take' (default) treats it like ONACCOUNT, a
   * pending sale whose goods have left; 'none' treats it like a parked sale (OPEN as a sale still
   * on the sell screen), so stock leaves only when it closes.
   */
  openSaleStock: z.enum(['take', 'none']),
  /**
   * `POST /fulfillments/{id}/fulfill` sent again. The spec says "This is an idempotent action" and
   * makes `version` an optimistic lock (stale → 409). 'answer-again' (default): the exact request
   * that moved the fulfilment from `version`, repeated while nothing else changed it, answers as
   * the first time and fulfils nothing more. 'conflict': the idempotence is only that nothing is
   * fulfilled twice; a repeat carries a stale version and gets the 409 like any other.
   */
  fulfilReplay: z.enum(['answer-again', 'conflict']),
  /**
   * An update that adds units (a new line, or more of a line) to a fulfilment that is already
   * FULFILLED. The aggregation is one fulfilment per (sale, outlet, type)
   * (docs/fulfillments_partial_fulfillment), so 'reopen' (default): the units join it and it is
   * OPEN again. 'refuse': a done fulfilment stays done and the update is refused (422, nothing
   * changes).
   */
  addToFulfilledFulfilment: z.enum(['reopen', 'refuse']),
  /**
   * `PUT /sales/{id}` with `state: closed` on a sale awaiting dispatch or pickup whose fulfilments
   * are not all done. closed + pickup is PICKED_UP_CLOSED (docs/sales_states_and_attributes), so
   * 'fulfil-all' (default): closing says it was collected/shipped, every line is fulfilled and its
   * stock moves once. 'refuse': only fulfilling closes such a sale (422, nothing changes).
   */
  closeAwaitingSale: z.enum(['fulfil-all', 'refuse']),
  /**
   * A sale's fulfilments when it is voided. VOIDED returns the lines "into inventory" (statuses);
   * what happens to its fulfilments is not said. 'remove' (default): they go, nothing is left to
   * fulfil. 'keep': they stay readable as they were (the spec's fulfilment history has a VOIDED
   * event, and its state enum no voided value), but nothing more can be fulfilled (409) and they
   * leave the register's list of orders to fulfil.
   */
  voidFulfilments: z.enum(['remove', 'keep']),
  /**
   * A new sale whose request names no `delivery`/`pickup` attribute but whose lines carry
   * `_metadata.fulfillment_method` (or whose `fulfillment_details` name a type). 'from-lines'
   * (default): the method implies the attribute, so the sale awaits dispatch or pickup. 'explicit':
   * only `attributes` say so; the sale is booked as its state says (OPEN, CLOSED …) with no
   * fulfilments, the line methods kept as data.
   */
  impliedFulfilmentAttribute: z.enum(['from-lines', 'explicit']),
});

export type SalePolicies = z.infer<typeof salePoliciesSchema>;

export const DEFAULT_SALE_POLICIES: SalePolicies = {
  stockTiming: 'at-fulfilment',
  existingSaleId: 'update',
  duplicateSourceId: 'allow',
  legacyStatusPrecedence: 'fulfilment',
  attributeErrorStatus: 422,
  openSaleStock: 'take',
  fulfilReplay: 'answer-again',
  addToFulfilledFulfilment: 'reopen',
  closeAwaitingSale: 'fulfil-all',
  voidFulfilments: 'remove',
  impliedFulfilmentAttribute: 'from-lines',
};
