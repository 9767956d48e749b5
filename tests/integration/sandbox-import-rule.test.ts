import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Runs the project's real ESLint configuration over files placed under src/sandbox/ and under the
 * app's clients, database and jobs, and checks that the independence rule bites both ways: the
 * sandbox imports nothing of the app's, and they import nothing of the sandbox's.
 */
describe('sandbox independence rule', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  let n = 0;

  const lintIn = async (folder: string, code: string) => {
    const dir = path.join(process.cwd(), folder, `__lint_probe_${process.pid}__`);
    mkdirSync(dir, { recursive: true });
    dirs.push(dir);
    const file = path.join(dir, `probe${n++}.ts`);
    writeFileSync(file, code);
    const [result] = await eslint.lintFiles([file]);
    const messages = result?.messages ?? [];
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    return messages.map((m) => m.ruleId);
  };

  it.each([
    "import { createBigCommerceClient } from '@/integrations/bigcommerce/client';\nexport const x = createBigCommerceClient;\n",
    "import { createBigCommerceClient } from '../../integrations/bigcommerce/client';\nexport const x = createBigCommerceClient;\n",
    "import * as core from '@/core/inventory';\nexport const x = core;\n",
    "import { getDatabase } from '@/db/runtime';\nexport const x = getDatabase;\n",
    "import { env } from '@/env';\nexport const x = env;\n",
  ])('src/sandbox refuses: %s', async (code) => {
    expect(await lintIn('src/sandbox', code)).toContain('no-restricted-imports');
  });

  it.each(['src/integrations', 'src/db', 'src/jobs'])('%s may not import the sandbox', async (folder) => {
    expect(await lintIn(folder, "import { createLightspeedSandbox } from '@/sandbox/lightspeed';\nexport const x = createLightspeedSandbox;\n")).toContain('no-restricted-imports');
    expect(await lintIn(folder, "import { serve } from '../../sandbox/http';\nexport const x = serve;\n")).toContain('no-restricted-imports');
  });

  it('lets the sandbox import its own modules', async () => {
    expect(await lintIn('src/sandbox', "import { VirtualClock } from '../clock';\nexport const x = new VirtualClock();\n")).toEqual([]);
  });
});
