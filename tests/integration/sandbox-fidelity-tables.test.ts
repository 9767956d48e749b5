/**
 * The sandboxes' fidelity tables (src/sandbox/{lightspeed,bigcommerce}/README.md) are the claim
 * that each behaviour comes from the platform's contract and is shown by a test. This keeps the
 * claim checkable: every table has the same columns, every row names a source and at least one
 * test file, every cited file exists and every cited test title is in it. A title is cited as
 * `"…"` after its file (`` `file.test.ts` › "title"; "another title" ``); a title ending in `…`
 * is the start of one. A bare file name is in the table's own test folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const COLUMNS = ['Behaviour', 'Source', 'Test', 'Policy switch'];

const TABLES = [
  { readme: 'src/sandbox/lightspeed/README.md', testDir: 'tests/integration/sandbox-lightspeed' },
  { readme: 'src/sandbox/bigcommerce/README.md', testDir: 'tests/integration/sandbox-bigcommerce' },
];

interface Row {
  line: number;
  cells: string[];
}

/** Splits a table row on the pipes that are neither inside backticks nor escaped (`\|`). */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let inCode = false;
  for (const ch of line.trim().replace(/^\||\|$/g, '')) {
    if (ch === '`') inCode = !inCode;
    if (ch === '|' && !inCode && !current.endsWith('\\')) {
      cells.push(current.trim());
      current = '';
    } else current += ch;
  }
  cells.push(current.trim());
  return cells;
}

/** Every table in the file: its header cells and its rows. */
function tablesOf(markdown: string): { header: string[]; line: number; rows: Row[] }[] {
  const lines = markdown.split('\n');
  const tables: { header: string[]; line: number; rows: Row[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !/^\|[-| ]+\|$/.test(lines[i + 1] ?? '')) continue;
    const table = { header: cellsOf(lines[i]!), line: i + 1, rows: [] as Row[] };
    let j = i + 2;
    for (; j < lines.length && lines[j]!.startsWith('|'); j++) table.rows.push({ line: j + 1, cells: cellsOf(lines[j]!) });
    tables.push(table);
    i = j;
  }
  return tables;
}

/** `file` › "title"; "title" … → the cited files, each with its titles. */
function citationsOf(cell: string, testDir: string): { file: string; titles: string[] }[] {
  const citations: { file: string; titles: string[] }[] = [];
  for (const token of cell.matchAll(/`([^`]+\.test\.ts)`|"((?:[^"\\]|\\.)+)"/g)) {
    if (token[1] !== undefined) citations.push({ file: token[1].includes('/') ? token[1] : path.join(testDir, token[1]), titles: [] });
    else citations.at(-1)?.titles.push(token[2]!.replace(/\\"/g, '"'));
  }
  return citations;
}

/** The test file's text with string escapes undone, so a title reads as vitest prints it. */
function sourceOf(file: string): string {
  return readFileSync(file, 'utf8').replace(/\\(['"`])/g, '$1');
}

describe.each(TABLES)('the fidelity tables in $readme', ({ readme, testDir }) => {
  const tables = tablesOf(readFileSync(readme, 'utf8'));

  it('all have the columns Behaviour | Source | Test | Policy switch, and rows of four cells', () => {
    expect(tables.length).toBeGreaterThan(3);
    for (const table of tables) {
      expect(table.header, `${readme}:${table.line}`).toEqual(COLUMNS);
      for (const row of table.rows) expect(row.cells, `${readme}:${row.line}`).toHaveLength(COLUMNS.length);
    }
  });

  it('give every row a source and a test file, and every cited file and test title exists', () => {
    const problems: string[] = [];
    let cited = 0;
    for (const row of tables.flatMap((t) => t.rows)) {
      const [behaviour, source, test] = row.cells;
      const where = `${readme}:${row.line} (${behaviour?.slice(0, 50)})`;
      if (!source || source === '—') problems.push(`${where}: no source`);
      const citations = citationsOf(test ?? '', testDir);
      if (citations.length === 0) problems.push(`${where}: no test file`);
      for (const { file, titles } of citations) {
        if (!existsSync(file)) {
          problems.push(`${where}: ${file} does not exist`);
          continue;
        }
        const text = sourceOf(file);
        for (const title of titles) {
          cited += 1;
          if (!text.includes(title.replace(/…$/, ''))) problems.push(`${where}: "${title}" is not a test in ${file}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(cited).toBeGreaterThan(20);
  });
});
