/**
 * The sandbox's randomness, all derived from one seed so one seed gives one run. Each concern
 * draws from its own stream (ids, fault choices, webhook faults and activation delays): a test
 * that adds a probability fault does not shift the ids the store hands out, and vice versa.
 *
 * The generator is sfc32 seeded through cyrb128 (both public-domain, small, and good enough for
 * a test double; nothing here is a secret). Its state is plain numbers kept in the sandbox state,
 * so a persisted sandbox continues its sequences after a restart instead of repeating them (a
 * repeated sequence would hand out an access token that already exists).
 */
import { randomBytes } from 'node:crypto';

export type StreamName = 'ids' | 'faults' | 'webhooks';

export interface RandomState {
  seed: string;
  streams: Partial<Record<StreamName, [number, number, number, number]>>;
}

/** cyrb128: a 128-bit string hash, used only to turn the seed into generator state. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** One seeded stream. Its state lives in the array it was given, so saving the array saves it. */
export class Rng {
  constructor(private readonly s: [number, number, number, number]) {}

  /** A float in [0, 1). */
  next(): number {
    const s = this.s;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = (s[2] << 21) | (s[2] >>> 11);
    s[2] = (s[2] + t) >>> 0;
    return t / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** A v4-shaped UUID. */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

export class Randomness {
  private readonly cache = new Map<StreamName, Rng>();

  constructor(readonly state: RandomState) {}

  /** A fresh state for `seed`; without one, a seed drawn from the OS (a run nobody asked to repeat). */
  static initial(seed: number | string | undefined): RandomState {
    return { seed: seed === undefined ? randomBytes(8).toString('hex') : String(seed), streams: {} };
  }

  stream(name: StreamName): Rng {
    let rng = this.cache.get(name);
    if (!rng) {
      const state = (this.state.streams[name] ??= cyrb128(`${this.state.seed}/${name}`));
      rng = new Rng(state);
      this.cache.set(name, rng);
    }
    return rng;
  }
}
