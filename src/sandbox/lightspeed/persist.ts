/**
 * Optional JSON persistence so a demo sandbox survives restarts. Writes are debounced (a bulk
 * receive touches hundreds of records) and atomic (write a temp file, then rename). The debounce
 * is a real timer on purpose: it is file I/O, not platform time, and nothing observable waits on it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OAuthState } from './oauth';
import { attributesOfStatus } from './sale-status';
import type { Retailer } from './types';

export interface PersistedState {
  format: 1;
  retailers: Record<string, Retailer>;
  oauth: OAuthState;
  /** The run's random streams, so ids keep coming from where they stopped (absent in older files). */
  random?: { ids: number; faults: number; webhooks: number };
}

/** Fills fields added since an older state file was written, so it loads as the current model. */
export function normaliseRetailer(retailer: Retailer): Retailer {
  for (const sale of Object.values(retailer.sales)) sale.attributes ??= attributesOfStatus(sale.status);
  for (const f of Object.values(retailer.fulfillments)) {
    f.shipping_address_id ??= null;
    f.last_fulfil ??= null;
  }
  return retailer;
}

export function loadState(path: string): PersistedState | null {
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PersistedState>;
  if (parsed.format !== 1 || !parsed.retailers || !parsed.oauth) return null;
  return parsed as PersistedState;
}

export class DebouncedWriter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly snapshot: () => PersistedState,
    private readonly delayMs = 250,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const body = JSON.stringify(this.snapshot());
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, this.path);
    });
    return this.writing;
  }
}
