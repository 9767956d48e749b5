/** The app as the sandbox control panel frames it, for the browser tests. */
import type { Frame, Page, Response } from 'playwright-core';

export async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe[title="Counterpart"]');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no app frame');
  return frame;
}

/**
 * The session tokens the app's pages receive (exchange, renewal, resume), newest last. The page
 * keeps its token in memory only, so a test that calls the API as the merchant reads it here.
 */
export function sessionTokens(page: Page): { latest(): string; after(count: number): Promise<string>; all: string[]; renewals: () => number } {
  const all: string[] = [];
  let renewals = 0;
  page.on('response', (response: Response) => {
    const path = new URL(response.url()).pathname;
    if (response.request().method() !== 'POST' || !['/api/session', '/api/session/renew', '/api/session/resume'].includes(path) || !response.ok()) return;
    void response
      .json()
      .then((body: { token?: string; session?: { token?: string } | null }) => {
        const token = body.token ?? body.session?.token;
        if (!token) return;
        all.push(token);
        if (path === '/api/session/renew') renewals++;
      })
      .catch(() => undefined);
  });
  return {
    all,
    renewals: () => renewals,
    latest() {
      const token = all.at(-1);
      if (!token) throw new Error('the app has received no session token yet');
      return token;
    },
    /** The first token received after `count` tokens (waits for it: the response body is read asynchronously). */
    async after(count: number) {
      const deadline = Date.now() + 30_000;
      while (all.length <= count) {
        if (Date.now() > deadline) throw new Error(`no session token after the first ${count} within 30 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return all[count]!;
    },
  };
}
