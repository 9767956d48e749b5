/**
 * Deterministic randomness and identifiers. The seeded catalog must be identical on every run
 * (tests and demos refer to the same products), and every id handed out after start-up comes
 * from the run seed's stream (RunRandom), so one seed gives one run. Only OAuth secrets (codes,
 * tokens) stay cryptographically random: they are credentials, and no log records them.
 */

export type Random = () => number;

/** mulberry32: tiny, fast, good enough for fixture data. */
export function seededRandom(seed: number): Random {
  const stream = new RandomStream(seed);
  return () => stream.next();
}

/**
 * A mulberry32 stream whose whole state is one 32-bit integer, so a persisted sandbox can save
 * it and carry on where it stopped instead of handing out the same ids again after a restart.
 */
export class RandomStream {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  readonly random: Random = () => this.next();
}

/**
 * The independent streams one run seed feeds. Kept apart so that, say, turning on a fault with
 * a probability (which draws from `faults`) does not shift every id the run hands out after it.
 */
export interface RunRandom {
  ids: RandomStream;
  faults: RandomStream;
  webhooks: RandomStream;
}

export function runRandom(seed: number): RunRandom {
  // Distinct odd multipliers spread one seed into three unrelated starting states.
  return {
    ids: new RandomStream(Math.imul(seed, 0x9e3779b1) ^ 0x1d),
    faults: new RandomStream(Math.imul(seed, 0x85ebca6b) ^ 0x2b),
    webhooks: new RandomStream(Math.imul(seed, 0xc2b2ae35) ^ 0x3f),
  };
}

/** A v4-shaped UUID drawn from `random`, so seeded runs produce the same ids. */
export function uuidFrom(random: Random): string {
  const hex: string[] = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** GS1 mod-10 check digit for the digits that precede it (EAN-13, UPC-A, EAN-8 alike). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  // Weights alternate 3,1,3,… starting from the rightmost body digit.
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGs1(code: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}

export function ean13(first12: string): string {
  return first12 + String(gs1CheckDigit(first12));
}

export function upcA(first11: string): string {
  return first11 + String(gs1CheckDigit(first11));
}
