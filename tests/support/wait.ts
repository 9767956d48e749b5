/**
 * Polls `probe` until it returns a truthy value or the time runs out (then throws with `what`;
 * give a function to describe the state at the moment of failure).
 */
export async function waitFor<T>(probe: () => Promise<T> | T, what: string | (() => string | Promise<string>), timeoutMs = 20_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const description = typeof what === 'string' ? what : await what();
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description} (last value: ${JSON.stringify(last)})`);
}
