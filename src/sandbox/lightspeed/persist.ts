/**
 * Optional JSON persistence so a demo sandbox survives restarts. Writes are debounced (a bulk
 * receive touches hundreds of records) and atomic (write a temp file, then rename).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OAuthState } from './oauth';
import type { Retailer } from './types';

export interface PersistedState {
  format: 1;
  retailers: Record<string, Retailer>;
  oauth: OAuthState;
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
