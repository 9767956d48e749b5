/**
 * What the locations routes answer: the contract the Locations page and the item stock view are
 * built on. The pages take their types from here (never from the server's modules); the routes
 * parse their answers with these schemas, so a drift fails on the server, in tests.
 */
import { z } from 'zod';

export const stockModes = ['default-location', 'aggregated'] as const;
export type StockMode = (typeof stockModes)[number];
export const reserveKinds = ['units', 'percent'] as const;

const coordinates = z.object({ latitude: z.number(), longitude: z.number() });
const address = z.object({ street1: z.string().nullable(), street2: z.string().nullable(), city: z.string().nullable(), state: z.string().nullable(), postcode: z.string().nullable(), countryCode: z.string().nullable() });

export const outletSchema = z.object({
  lsOutletId: z.string(),
  name: z.string(),
  address: address.nullable(),
  bcLocationId: z.number().int().nullable(),
  locationLabel: z.string().nullable(),
  locationCreatedByApp: z.boolean(),
  publishes: z.boolean(),
  fulfils: z.boolean(),
  rank: z.number().int(),
  dailyCapacity: z.number().int().nullable(),
  reserveKind: z.enum(reserveKinds).nullable(),
  reserveValue: z.number().int(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  /** The code a location created for this outlet gets. */
  proposedCode: z.string(),
  /** The outlet's coordinates, or where its postcode is; null when neither is known. */
  suggestedCoordinates: coordinates.nullable(),
});
export type Outlet = z.infer<typeof outletSchema>;

export const bcLocationSchema = z.object({ id: z.number().int(), code: z.string(), label: z.string(), enabled: z.boolean(), managedByExternalSource: z.boolean(), isDefault: z.boolean() });
export type BcLocation = z.infer<typeof bcLocationSchema>;

export const warningSchema = z.object({ kind: z.enum(['unmapped', 'location-disabled', 'location-missing', 'not-managed', 'limit-reached', 'nothing-mapped']), lsOutletId: z.string().optional(), locationId: z.number().int().optional(), message: z.string() });
export type Warning = z.infer<typeof warningSchema>;

export const sweepStates = ['queued', 'running', 'done', 'failed'] as const;
export const sweepStatusSchema = z.object({ id: z.uuid(), state: z.enum(sweepStates), total: z.number().int(), done: z.number().int(), changed: z.number().int(), error: z.string().nullable() });
export type SweepStatus = z.infer<typeof sweepStatusSchema>;

export const lastSweepSchema = sweepStatusSchema.extend({
  trigger: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /** The levels it set right (up to 50, newest first). */
  corrections: z.array(z.object({ lsProductId: z.string(), lsItemId: z.string().nullable(), name: z.string(), sku: z.string(), bcLocationId: z.number().int(), from: z.number().int().nullable(), to: z.number().int(), at: z.iso.datetime() })),
});
export type LastSweep = z.infer<typeof lastSweepSchema>;

export const problemSchema = z.object({
  lsProductId: z.string(),
  lsItemId: z.string().nullable(),
  name: z.string().nullable(),
  sku: z.string().nullable(),
  bcProductId: z.number().int(),
  bcLocationId: z.number().int().nullable(),
  kind: z.string(),
  message: z.string(),
  fix: z.string(),
  since: z.iso.datetime(),
  /** BigCommerce lets Counterpart fix it in one click. */
  oneClick: z.boolean(),
});
export type Problem = z.infer<typeof problemSchema>;

export const locationsPageSchema = z.object({
  stockMode: z.enum(stockModes).nullable(),
  plan: z.string().nullable(),
  locationLimit: z.number().int().nullable(),
  outlets: z.array(outletSchema),
  locations: z.array(bcLocationSchema),
  warnings: z.array(warningSchema),
  sweep: lastSweepSchema.nullable(),
  sweepIntervalMinutes: z.number().int(),
  lightspeed: z.enum(['connected', 'not-connected']),
  problems: z.array(problemSchema),
});
export type LocationsPage = z.infer<typeof locationsPageSchema>;

export const outletUpdatedSchema = z.object({ outlet: outletSchema.pick({ lsOutletId: true, name: true, bcLocationId: true, publishes: true, fulfils: true, rank: true, dailyCapacity: true, reserveKind: true, reserveValue: true, latitude: true, longitude: true }) });
export const sweepStartedSchema = z.object({ sweepId: z.uuid() });
export const fixedSchema = z.union([z.object({ tracking: z.enum(['variant', 'product']) }).strict(), z.object({ safetyStock: z.literal(0), bcLocationId: z.number().int() }).strict()]);
export type Fixed = z.infer<typeof fixedSchema>;
export const locationSettingsSchema = z.object({ stockMode: z.enum(stockModes).nullable(), sweepIntervalMinutes: z.number().int() });
export type LocationSettings = z.infer<typeof locationSettingsSchema>;

/** "Why is this item showing N?" */
export const itemStockSchema = z.object({
  item: z.object({ lsItemId: z.string(), name: z.string(), sku: z.string(), syncState: z.string(), bcProductId: z.number().int().nullable(), onlineEnabled: z.boolean() }),
  stockMode: z.enum(stockModes).nullable(),
  variants: z.array(
    z.object({
      lsProductId: z.string(),
      sku: z.string(),
      name: z.string(),
      bcVariantId: z.number().int().nullable(),
      outlets: z.array(
        z.object({
          lsOutletId: z.string(),
          outlet: z.string(),
          bcLocationId: z.number().int().nullable(),
          publishes: z.boolean(),
          onHand: z.number().int(),
          committed: z.number().int(),
          reserved: z.number().int(),
          available: z.number().int(),
          published: z.number().int().nullable(),
          bigcommerce: z.number().int().nullable(),
          heldUnexplained: z.number().int(),
          shortfall: z.number().int(),
        }),
      ),
      defaultLocation: z.object({ published: z.number().int().nullable(), bigcommerce: z.number().int().nullable() }).nullable(),
      unrouted: z.number().int(),
    }),
  ),
  changes: z.array(z.object({ at: z.iso.datetime(), lsProductId: z.string(), bcLocationId: z.number().int(), from: z.number().int().nullable(), to: z.number().int(), cause: z.string(), outcome: z.string(), latencyMs: z.number().nullable() })),
  notes: z.array(z.string()),
  reserves: z.array(z.object({ lsOutletId: z.string().nullable(), kind: z.enum(reserveKinds), value: z.number().int() })),
  problems: z.array(z.object({ lsProductId: z.string(), kind: z.string(), message: z.string(), fix: z.string(), oneClick: z.boolean() })),
});
export type ItemStock = z.infer<typeof itemStockSchema>;
