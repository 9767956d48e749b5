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
});

export type SalePolicies = z.infer<typeof salePoliciesSchema>;

export const DEFAULT_SALE_POLICIES: SalePolicies = {
  stockTiming: 'at-fulfilment',
  existingSaleId: 'update',
  duplicateSourceId: 'allow',
};
