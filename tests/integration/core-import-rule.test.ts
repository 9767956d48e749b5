import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Runs the project's real ESLint configuration over files placed under src/core/ and checks that
 * the dependency rule bites: framework, database, platform-client, fetch and process.env use fail.
 */
describe('core/ import rule', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const dir = path.join(process.cwd(), 'src/core', `__lint_probe_${process.pid}__`);
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  const lintAsCore = async (code: string) => {
    const file = path.join(dir, `probe${n++}.ts`);
    writeFileSync(file, code);
    const [result] = await eslint.lintFiles([file]);
    const messages = result?.messages ?? [];
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    return messages.map((m) => m.ruleId);
  };

  it.each([
    ["import { NextResponse } from 'next/server';\nexport const x = NextResponse;\n", 'no-restricted-imports'],
    ["import { eq } from 'drizzle-orm';\nexport const x = eq;\n", 'no-restricted-imports'],
    ["import { openDatabase } from '../../db/client';\nexport const x = openDatabase;\n", 'no-restricted-imports'],
    ["import { getDatabase } from '@/db/runtime';\nexport const x = getDatabase;\n", 'no-restricted-imports'],
    ["import { serve } from '@/sandbox/http';\nexport const x = serve;\n", 'no-restricted-imports'],
    ["export const load = () => fetch('https://example.com');\n", 'no-restricted-globals'],
    ['export const key = process.env.SECRET;\n', 'no-restricted-globals'],
  ])('rejects %s', async (code, rule) => {
    expect(await lintAsCore(code)).toContain(rule);
  });

  it('accepts pure domain code', async () => {
    expect(await lintAsCore("import type { Clock } from '../ports';\nexport const later = (c: Clock) => c.now().getTime() + 1;\n")).toEqual([]);
  });
});
