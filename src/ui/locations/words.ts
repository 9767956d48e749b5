/** The Locations page's and the item stock view's words for what the server records. */

/** What set a stock change off, in a merchant's words. */
export function causeLabel(cause: string): string {
  switch (cause) {
    case 'lightspeed':
      return 'Lightspeed stock changed (a sale, a return, a delivery or a stock count)';
    case 'order':
      return 'An online order';
    case 'refund':
      return 'An online order refunded';
    case 'sweep':
      return 'Stock check: BigCommerce differed from Lightspeed';
    case 'mapping':
      return 'Location settings changed';
    case 'reserve':
      return 'The item’s walk-in reserve changed';
    case 'bigcommerce':
      return 'BigCommerce reported a stock change: checked against Lightspeed';
    case 'drift':
      return 'Stock edited in BigCommerce, set back from Lightspeed';
    case 'linked':
      return 'Item linked to its BigCommerce product';
    case 'fix':
      return 'A stock problem fixed';
    case 'orders known':
      return 'Every order up to the last order check is known: units held back for orders not heard of yet are counted again';
    case 'retry':
    case 'settling':
    case 'moving stock':
      return 'A write retried after BigCommerce settled';
    default:
      return cause;
  }
}

export function latencyLabel(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export const units = (n: number) => `${n} unit${n === 1 ? '' : 's'}`;

export function reserveLabel(kind: 'units' | 'percent' | null, value: number): string {
  if (!kind || value === 0) return 'none';
  return kind === 'percent' ? `${value}% of each item` : `${units(value)} of each item`;
}

export const SCHEDULES = [
  { value: 15, content: 'Every 15 minutes' },
  { value: 30, content: 'Every 30 minutes' },
  { value: 60, content: 'Every hour (recommended)' },
  { value: 120, content: 'Every 2 hours' },
  { value: 360, content: 'Every 6 hours' },
  { value: 720, content: 'Every 12 hours' },
  { value: 1440, content: 'Once a day' },
];

export const when = (iso: string) => new Date(iso).toLocaleString();
