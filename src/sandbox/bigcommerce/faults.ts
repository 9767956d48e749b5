/**
 * Fault plans, per store hash or global ('*'): what goes wrong with which requests, and with
 * outgoing webhooks. None of this is platform behaviour; it is the test's way of making the
 * platform misbehave the way networks and overloaded services do.
 *
 * An API fault rule names the requests it applies to (`route`: method and path pattern relative
 * to /stores/{hash}, e.g. `PUT /v3/inventory/adjustments/absolute` or `POST /v2/orders/:id/shipments`;
 * absent = every request) and how often it fires: `count` (the next N matching requests) and/or
 * `probability` (each matching request, drawn from the sandbox's seeded fault stream; with a
 * count too, it stops after `count` firings). Kinds:
 *   status   answer 429 / 5xx without running the request (nothing applied)
 *   timeout  hold the request `holdMs`, then answer 504; with `applied: true` the request runs
 *            first, so the write is applied and only the answer is late
 *   latency  add `ms` before the request runs (stacks with the others)
 *   lost     run the request (the write is applied), then reset the connection instead of
 *            answering: the client cannot tell whether anything happened
 */
import { z } from 'zod';
import type { Rng } from './random';
import { HttpError } from './responses';

const routePattern = /^(GET|POST|PUT|DELETE|PATCH|\*) (\/\S*)$/;

const rule = {
  route: z.string().regex(routePattern, 'route must be "METHOD /path/pattern", e.g. "PUT /v3/inventory/adjustments/absolute"').optional(),
  count: z.number().int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
};

/** A terminal fault must say how often it fires, or it would break every request forever. */
const bounded = (f: { count?: number; probability?: number }) => f.count !== undefined || f.probability !== undefined;
const boundedMessage = { message: 'a status, timeout or lost fault needs a count or a probability' };

export const apiFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status'), status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]), rateLimitHeaders: z.boolean().optional(), ...rule }).refine(bounded, boundedMessage),
  z.object({ kind: z.literal('timeout'), holdMs: z.number().int().min(0).optional(), applied: z.boolean().optional(), ...rule }).refine(bounded, boundedMessage),
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0), ...rule }),
  z.object({ kind: z.literal('lost'), ...rule }).refine(bounded, boundedMessage),
]);

export const webhookFaultsSchema = z.object({
  dropNext: z.number().int().min(0).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  duplicateNext: z.number().int().min(0).optional(),
  duplicateRate: z.number().min(0).max(1).optional(),
  delayMs: z.number().int().min(0).optional(),
  reorderWindow: z.number().int().min(0).optional(),
  reorderMaxHoldMs: z.number().int().min(0).optional(),
});

export const faultSettingsSchema = z.object({ api: z.array(apiFaultSchema).optional(), webhooks: webhookFaultsSchema.optional() });

export type ApiFault = z.infer<typeof apiFaultSchema>;
export type WebhookFaults = z.infer<typeof webhookFaultsSchema>;
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const GLOBAL = '*';

/** The default hold: longer than any sensible client deadline. */
const DEFAULT_HOLD_MS = 120_000;

export interface FiredFault {
  scope: string;
  rule: number;
  kind: ApiFault['kind'];
  status?: number;
  ms?: number;
}

export interface ApiFaultDecision {
  latencyMs: number;
  status?: { status: number; rateLimitHeaders: boolean };
  hold?: { ms: number; applied: boolean };
  lost: boolean;
  fired: FiredFault[];
}

export interface WebhookDecision {
  drop: boolean;
  duplicate: boolean;
  delayMs: number;
}

interface CompiledRule {
  fault: ApiFault;
  method: string;
  segments: string[];
}

/** `*` and `:name` match one path segment; a trailing `**` matches the rest (zero or more). */
export function routeMatches(pattern: { method: string; segments: string[] }, method: string, path: string): boolean {
  if (pattern.method !== '*' && pattern.method !== method) return false;
  const parts = path.split('/').filter(Boolean);
  const want = pattern.segments;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === '**' && i === want.length - 1) return true;
    const part = parts[i];
    if (part === undefined) return false;
    if (segment !== '*' && !segment.startsWith(':') && segment !== part) return false;
  }
  return parts.length === want.length;
}

function compile(fault: ApiFault): CompiledRule {
  if (!fault.route) return { fault, method: '*', segments: ['**'] };
  const [, method, path] = routePattern.exec(fault.route)!;
  return { fault, method: method!, segments: path!.split('/').filter(Boolean) };
}

export class Faults {
  private readonly api = new Map<string, CompiledRule[]>();
  private readonly webhooks = new Map<string, WebhookFaults>();

  constructor(
    private readonly apiRandom: Rng,
    private readonly webhookRandom: Rng,
  ) {}

  /** Replaces the plan for `scope`; a malformed plan is refused (422) and changes nothing. */
  set(scope: string, settings: FaultSettings): void {
    const parsed = faultSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      throw new HttpError(422, 'Invalid fault plan', Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message])));
    }
    if (parsed.data.api) this.api.set(scope, parsed.data.api.map((f) => compile({ ...f })));
    if (parsed.data.webhooks) this.webhooks.set(scope, { ...parsed.data.webhooks });
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
    for (const [scope, api] of this.api) out[scope] = { ...(out[scope] ?? {}), api: api.map((r) => ({ ...r.fault })) };
    for (const [scope, webhooks] of this.webhooks) out[scope] = { ...(out[scope] ?? {}), webhooks: { ...webhooks } };
    return out;
  }

  /**
   * Decides (and consumes) the faults for one request: the store's rules first, then the global
   * ones, each in order. Latencies add up; the first status / timeout / lost rule that fires wins
   * and later terminal rules are not consulted (so they neither draw nor consume).
   */
  takeApi(hash: string, method: string, path: string): ApiFaultDecision {
    const decision: ApiFaultDecision = { latencyMs: 0, lost: false, fired: [] };
    for (const scope of [hash, GLOBAL]) {
      (this.api.get(scope) ?? []).forEach((compiled, index) => {
        const f = compiled.fault;
        if (!routeMatches(compiled, method, path)) return;
        if (f.count !== undefined && f.count <= 0) return;
        const terminal = f.kind !== 'latency';
        if (terminal && (decision.status || decision.hold || decision.lost)) return;
        if (f.probability !== undefined && !(this.apiRandom.next() < f.probability)) return;
        if (f.count !== undefined) f.count -= 1;
        const fired: FiredFault = { scope, rule: index, kind: f.kind };
        if (f.kind === 'latency') {
          decision.latencyMs += f.ms;
          fired.ms = f.ms;
        } else if (f.kind === 'status') {
          decision.status = { status: f.status, rateLimitHeaders: f.rateLimitHeaders ?? true };
          fired.status = f.status;
        } else if (f.kind === 'timeout') {
          decision.hold = { ms: f.holdMs ?? DEFAULT_HOLD_MS, applied: f.applied ?? false };
          fired.ms = decision.hold.ms;
        } else decision.lost = true;
        decision.fired.push(fired);
      });
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
    } else if (f.dropRate !== undefined && this.webhookRandom.next() < f.dropRate) drop = true;
    let duplicate = false;
    if (!drop && (f.duplicateNext ?? 0) > 0) {
      f.duplicateNext = (f.duplicateNext ?? 0) - 1;
      duplicate = true;
    } else if (!drop && f.duplicateRate !== undefined && this.webhookRandom.next() < f.duplicateRate) duplicate = true;
    return { drop, duplicate, delayMs: f.delayMs ?? 0 };
  }
}
