/**
 * Optional JSON persistence so the sandbox survives an app restart: state is written (debounced,
 * atomically via a temp file + rename) after changes and read back on start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SandboxState } from './types';

export function loadState(path: string): SandboxState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as SandboxState;
    return parsed && typeof parsed === 'object' && parsed.stores ? parsed : undefined;
  } catch {
    return undefined; // no file yet (first start) or unreadable: start fresh
  }
}

export function saveState(path: string, state: SandboxState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

export class DebouncedSaver {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly path: string,
    private readonly read: () => SandboxState,
    private readonly delayMs = 250,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    saveState(this.path, this.read());
  }
}
