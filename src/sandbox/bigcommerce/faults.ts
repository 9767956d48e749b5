/**
 * Fault switches, per store hash or global ('*'): forced API errors, hung or slow responses, and
 * webhook misbehaviour (dropped, duplicated, delayed, reordered deliveries). Count-based faults
 * are consumed as they fire; rate-based ones stay until cleared.
 */
export type ApiFault =
  | { kind: 'status'; status: 429 | 500 | 502 | 503 | 504; count: number; rateLimitHeaders?: boolean }
  | { kind: 'timeout'; count: number; holdMs?: number }
  | { kind: 'latency'; ms: number; count?: number };

export interface WebhookFaults {
  dropNext?: number;
  dropRate?: number; // 0..1
  duplicateNext?: number;
  duplicateRate?: number; // 0..1
  delayMs?: number; // extra delay before the first attempt
  reorderWindow?: number; // hold this many messages, then send them newest first
  reorderMaxHoldMs?: number; // release a partial window after this long (default 1000)
}

export interface FaultSettings {
  api?: ApiFault[];
  webhooks?: WebhookFaults;
}

export const GLOBAL = '*';

export interface ApiFaultDecision {
  latencyMs: number;
  status?: { status: number; rateLimitHeaders: boolean };
  holdMs?: number;
}

export interface WebhookDecision {
  drop: boolean;
  duplicate: boolean;
  delayMs: number;
}

export class Faults {
  private readonly api = new Map<string, ApiFault[]>();
  private readonly webhooks = new Map<string, WebhookFaults>();

  constructor(private readonly random: () => number) {}

  set(scope: string, settings: FaultSettings): void {
    if (settings.api) this.api.set(scope, settings.api.map((f) => ({ ...f })));
    if (settings.webhooks) this.webhooks.set(scope, { ...settings.webhooks });
  }

  clear(scope?: string): void {
    if (scope === undefined) {
      this.api.clear();
      this.webhooks.clear();
      return;
    }
    this.api.delete(scope);
    this.webhooks.delete(scope);
  }

  snapshot(): Record<string, FaultSettings> {
    const out: Record<string, FaultSettings> = {};
    for (const [scope, api] of this.api) out[scope] = { ...(out[scope] ?? {}), api };
    for (const [scope, webhooks] of this.webhooks) out[scope] = { ...(out[scope] ?? {}), webhooks };
    return out;
  }

  /** Decides (and consumes) the API faults for one request: store-specific first, then global. */
  takeApi(hash: string): ApiFaultDecision {
    const decision: ApiFaultDecision = { latencyMs: 0 };
    for (const scope of [hash, GLOBAL]) {
      const list = this.api.get(scope);
      if (!list) continue;
      for (const fault of list) {
        if (fault.kind === 'latency') {
          if (fault.count !== undefined && fault.count <= 0) continue;
          decision.latencyMs += fault.ms;
          if (fault.count !== undefined) fault.count -= 1;
        } else if (fault.count > 0 && decision.status === undefined && decision.holdMs === undefined) {
          fault.count -= 1;
          if (fault.kind === 'status') decision.status = { status: fault.status, rateLimitHeaders: fault.rateLimitHeaders ?? true };
          else decision.holdMs = fault.holdMs ?? 120_000;
        }
      }
    }
    return decision;
  }

  webhookSettings(hash: string): WebhookFaults | undefined {
    return this.webhooks.get(hash) ?? this.webhooks.get(GLOBAL);
  }

  /** Decides (and consumes) what happens to one outgoing webhook message. */
  takeWebhook(hash: string): WebhookDecision {
    const f = this.webhookSettings(hash);
    if (!f) return { drop: false, duplicate: false, delayMs: 0 };
    let drop = false;
    if ((f.dropNext ?? 0) > 0) {
      f.dropNext = (f.dropNext ?? 0) - 1;
      drop = true;
    } else if (f.dropRate !== undefined && this.random() < f.dropRate) drop = true;
    let duplicate = false;
    if (!drop && (f.duplicateNext ?? 0) > 0) {
      f.duplicateNext = (f.duplicateNext ?? 0) - 1;
      duplicate = true;
    } else if (!drop && f.duplicateRate !== undefined && this.random() < f.duplicateRate) duplicate = true;
    return { drop, duplicate, delayMs: f.delayMs ?? 0 };
  }
}
