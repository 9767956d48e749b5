/**
 * Why BigCommerce refused a variant's stock, in the merchant's words, and the fix. Pure.
 */

export interface Problem {
  kind: 'tracking-product' | 'tracking-none' | 'location-disabled' | 'location-missing' | 'refused' | 'safety-stock';
  message: string;
  fix: string;
  /** The tracking switch a one-click fix makes (BigCommerce allows it through its API); which kinds have a one-click fix at all: ONE_CLICK_FIXES. */
  oneClick: 'track-per-variant' | 'track-per-product' | null;
}

/** The problem kinds the app can fix in one click, and which fix each takes. */
export const ONE_CLICK_FIXES = { 'tracking-product': 'tracking', 'tracking-none': 'tracking', 'safety-stock': 'safety-stock' } as const satisfies Partial<Record<Problem['kind'], string>>;
export type OneClickKind = keyof typeof ONE_CLICK_FIXES;
export const ONE_CLICK_KINDS = Object.keys(ONE_CLICK_FIXES) as [OneClickKind, ...OneClickKind[]];

/** The one-click fix of a problem of this kind, or null when the merchant makes the fix. */
export function oneClickFixOf(kind: string): (typeof ONE_CLICK_FIXES)[OneClickKind] | null {
  return Object.hasOwn(ONE_CLICK_FIXES, kind) ? ONE_CLICK_FIXES[kind as OneClickKind] : null;
}

export function explainRefusal(reason: string, item: { name: string; sku: string; trackedBy: 'product' | 'variant' }, locationLabel: string): Problem {
  const text = reason.toLowerCase();
  if (/tracked by product/.test(text)) {
    return {
      kind: 'tracking-product',
      message: `BigCommerce tracks the stock of ${item.name} (${item.sku}) on the product, so Counterpart cannot set each variant's stock.`,
      fix: 'Track inventory per variant for this product in BigCommerce.',
      oneClick: 'track-per-variant',
    };
  }
  if (/tracked by variant/.test(text)) {
    return {
      kind: 'tracking-product',
      message: `BigCommerce tracks the stock of ${item.name} (${item.sku}) per variant, but it is a single product in Lightspeed.`,
      fix: 'Track inventory on the product for this item in BigCommerce.',
      oneClick: 'track-per-product',
    };
  }
  if (/not tracked|tracking.*none|does not track/.test(text)) {
    return {
      kind: 'tracking-none',
      message: `BigCommerce does not track stock for ${item.name} (${item.sku}), so it is always on sale there whatever Lightspeed holds.`,
      fix: item.trackedBy === 'variant' ? 'Turn on inventory tracking per variant for this product in BigCommerce.' : 'Turn on inventory tracking for this product in BigCommerce.',
      oneClick: item.trackedBy === 'variant' ? 'track-per-variant' : 'track-per-product',
    };
  }
  if (/disabled/.test(text)) {
    return { kind: 'location-disabled', message: `${locationLabel} is disabled in BigCommerce, so its stock of ${item.name} cannot be updated.`, fix: 'Enable the location in BigCommerce (Settings › Locations), or map the outlet to another one.', oneClick: null };
  }
  if (/does not exist/.test(text) && /location/.test(text)) {
    return { kind: 'location-missing', message: `${locationLabel} no longer exists in BigCommerce.`, fix: 'Map the outlet to a location again on the Locations page.', oneClick: null };
  }
  return { kind: 'refused', message: `BigCommerce refused the stock of ${item.name} (${item.sku}) at ${locationLabel}: ${reason}`, fix: 'Check the product in BigCommerce; Counterpart tries again after the next change, and the sweep every hour.', oneClick: null };
}

/**
 * Whether BigCommerce refused a relative decrease because the stock it would take was no longer
 * there. Its relative adjustments and orders run one by one in a strict order "to avoid
 * overselling" (inventory-adjustments guide, "Concurrent adjustment handling"): a decrease that an
 * order, or another adjustment, reached first comes back as an error. That is a race, not a fault
 * the merchant can fix: the variant is worked out again from what BigCommerce holds then. The guide
 * does not give the error's words, so this reads the usual ones (below zero or safety stock,
 * negative, insufficient, not enough): a policy, named as one.
 */
export function outrunByStock(reason: string): boolean {
  return /safety stock|below zero|negative|insufficient|not enough/i.test(reason);
}

/**
 * A location BigCommerce holds at its safety stock, above what it should show (core planWrites,
 * SafetyHold). Nothing there is sellable online (sellable = on hand less safety stock), so nothing
 * oversells; but the level is not Lightspeed's, so the item is not in sync and the merchant is told.
 */
export function explainSafetyHold(hold: { safetyStock: number; target: number; level: number }, item: { name: string; sku: string }, locationLabel: string): Problem {
  return {
    kind: 'safety-stock',
    message: `BigCommerce keeps a safety stock of ${hold.safetyStock} for ${item.name} (${item.sku}) at ${locationLabel} and will not adjust its stock there below that, so it shows ${hold.level} where Lightspeed's stock calls for ${hold.target}. None of it is sold online meanwhile.`,
    fix: 'Set the safety stock of this item at that location to 0 in BigCommerce (the walk-in reserve on the Locations page holds units back per outlet instead), then press "Check stock now" or wait for the hourly check.',
    oneClick: null,
  };
}

/**
 * How many times in a row a (variant, location) may be outrun (outrunByStock) before it is
 * taken for a refusal the merchant has to see. A race with orders passes within a retry or two;
 * a refusal BigCommerce words like a shortfall that is really something else would otherwise be
 * retried every settle interval without anyone hearing of it. A policy, named as one.
 */
export const OUTRUNS_BEFORE_PROBLEM = 5;

/** Whether this outrun, after these earlier outcomes at the same (variant, location), newest first, makes a persistent refusal. */
export function persistentlyOutrun(earlierOutcomes: readonly string[]): boolean {
  const run = earlierOutcomes.findIndex((o) => o !== 'outrun');
  return (run === -1 ? earlierOutcomes.length : run) + 1 >= OUTRUNS_BEFORE_PROBLEM;
}
