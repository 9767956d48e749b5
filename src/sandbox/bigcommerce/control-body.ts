/** Reading control requests (`/_sandbox/...`), shared by the control modules. */
import type { z } from 'zod';
import { HttpError, readJson } from './responses';

/** A control request's JSON body, checked with `schema`; an empty body reads as `{}`. */
export async function body<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const raw = req.headers.get('content-length') === '0' ? {} : await readJson(req).catch(() => ({}));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError(422, 'Invalid control request', Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])));
  return parsed.data;
}
