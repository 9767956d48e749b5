/**
 * Reads BigCommerce's per-event webhook callback schemas (specs/bigcommerce/webhook-callbacks/
 * *.yml) and checks payloads against them. Those files use a small YAML subset (nested maps,
 * scalars, `|` / `|-` block scalars, lists of scalars); the reader handles exactly that and
 * throws on anything else, so a spec it cannot read fails the test instead of passing it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const SPECS_DIR = path.resolve(import.meta.dirname, '../../../../shared/specs/bigcommerce');

type Yaml = string | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  number: number;
}

function scalar(raw: string): string {
  const value = raw.trim();
  if ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"'))) return value.slice(1, -1);
  return value;
}

export function parseYamlSubset(source: string, file = 'yaml'): Yaml {
  const lines: Line[] = source
    .split('\n')
    .map((text, i) => ({ indent: text.length - text.trimStart().length, text: text.trimEnd(), number: i + 1 }))
    .filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'));
  let i = 0;

  function block(indent: number): Yaml {
    const first = lines[i];
    if (!first || first.indent < indent) return {};
    if (first.text.trimStart().startsWith('- ')) {
      const list: Yaml[] = [];
      while (i < lines.length && lines[i]!.indent === first.indent && lines[i]!.text.trimStart().startsWith('- ')) {
        list.push(scalar(lines[i]!.text.trimStart().slice(2)));
        i++;
      }
      return list;
    }
    const map: Record<string, Yaml> = {};
    while (i < lines.length && lines[i]!.indent === first.indent) {
      const line = lines[i]!;
      const m = /^([^:]+):(.*)$/.exec(line.text.trimStart());
      if (!m) throw new Error(`${file}:${line.number}: unsupported YAML: ${line.text}`);
      const key = scalar(m[1]!);
      const rest = m[2]!.trim();
      i++;
      if (rest === '|' || rest === '|-' || rest === '>' || rest === '>-') {
        const parts: string[] = [];
        while (i < lines.length && lines[i]!.indent > line.indent) parts.push(lines[i++]!.text.trim());
        map[key] = parts.join('\n');
      } else if (rest === '') {
        const next = lines[i];
        // A block below the key, or a list at the key's own indentation (YAML allows both).
        const nested = next !== undefined && (next.indent > line.indent || (next.indent === line.indent && next.text.trimStart().startsWith('- ')));
        map[key] = nested ? block(next.indent) : {};
      } else if (rest.startsWith('[') || rest.startsWith('{')) {
        throw new Error(`${file}:${line.number}: flow collections are not supported: ${line.text}`);
      } else map[key] = scalar(rest);
    }
    if (i < lines.length && lines[i]!.indent > first.indent) throw new Error(`${file}:${lines[i]!.number}: unexpected indentation`);
    return map;
  }

  const result = block(0);
  if (i < lines.length) throw new Error(`${file}:${lines[i]!.number}: could not read past this line`);
  return result;
}

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: string[];
}

/** The schema of one scope's callback, or undefined when the spec ships no callback file for it. */
export function callbackSchema(scope: string): Schema | undefined {
  const file = path.join(SPECS_DIR, 'webhook-callbacks', `${scope.replace(/\//g, '_')}.yml`);
  if (!existsSync(file)) return undefined;
  const doc = parseYamlSubset(readFileSync(file, 'utf8'), file) as { properties?: Record<string, Schema> };
  const schema = doc.properties?.[scope];
  if (!schema) throw new Error(`${file} does not describe ${scope}`);
  return schema;
}

/** The documented example payload for a scope (webhook-callbacks/data/*.json), if there is one. */
export function callbackExample(scope: string): Record<string, unknown> | undefined {
  const file = path.join(SPECS_DIR, 'webhook-callbacks', 'data', `${scope.replace(/\//g, '_')}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

/**
 * Problems with `value` against `schema`: wrong types, enum misses, and keys the schema does not
 * declare (the sandbox must not invent fields). Declared keys may be absent (the callback files
 * mark nothing as required); `required` lists the keys that must be there.
 */
export function check(value: unknown, schema: Schema, where = '$', required: string[] = []): string[] {
  const problems: string[] = [];
  const type = schema.type;
  if (type === 'object' || schema.properties) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: expected an object, got ${JSON.stringify(value)}`];
    const props = schema.properties ?? {};
    for (const key of required) if (!(key in value)) problems.push(`${where}.${key}: missing`);
    for (const [key, v] of Object.entries(value)) {
      const sub = props[key];
      if (!sub) problems.push(`${where}.${key}: not in the schema`);
      else problems.push(...check(v, sub, `${where}.${key}`));
    }
    return problems;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return [`${where}: expected an array`];
    return schema.items ? value.flatMap((v, i) => check(v, schema.items!, `${where}[${i}]`)) : [];
  }
  if (type === 'integer' && !Number.isInteger(value)) problems.push(`${where}: expected an integer, got ${JSON.stringify(value)}`);
  if (type === 'string' && typeof value !== 'string') problems.push(`${where}: expected a string, got ${JSON.stringify(value)}`);
  if (type === 'boolean' && typeof value !== 'boolean') problems.push(`${where}: expected a boolean`);
  if (schema.enum && !schema.enum.includes(String(value))) problems.push(`${where}: ${JSON.stringify(value)} not in ${schema.enum.join(', ')}`);
  return problems;
}

/** The keys of an object, nested keys as dotted paths, sorted: to compare a payload's shape with an example's. */
export function shape(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([k, v]) => [`${prefix}${k}`, ...shape(v, `${prefix}${k}.`)])
    .sort();
}
