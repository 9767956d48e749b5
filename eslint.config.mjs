import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What `src/core/` may not reach: frameworks, the database, platform clients, the network, the environment. */
const coreForbiddenImports = {
  patterns: [
    { group: ['next', 'next/*', 'react', 'react-dom', 'styled-components', '@bigcommerce/*'], message: 'core/ is framework-free: no Next.js or UI imports.' },
    { group: ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*', 'pg-boss', 'pg'], message: 'core/ does no I/O: no database imports; declare a port in core/ports.ts.' },
    { group: ['**/integrations/**', '@/integrations/*', '**/db/**', '@/db/*', '**/jobs/**', '@/jobs/*', '**/sandbox/**', '@/sandbox/*', '**/app/**', '@/app/*', '**/env', '@/env'], message: 'core/ depends on nothing of ours but core/.' },
    { group: ['node:http', 'node:https', 'node:net', 'node:fs', 'node:fs/*', 'http', 'https', 'net', 'fs', 'undici', 'node-fetch', 'axios'], message: 'core/ does no I/O.' },
  ],
};

/**
 * The sandbox is an independent implementation of each platform's contract (DESIGN.md §6): it
 * shares no code with the app's side, so a misreading of an API cannot hide by being made twice.
 */
const sandboxForbiddenImports = {
  patterns: [
    {
      group: ['**/integrations/**', '@/integrations/*', '**/core/**', '@/core/*', '**/db/**', '@/db/*', '**/jobs/**', '@/jobs/*', '**/app/**', '@/app/*', '**/ui/**', '@/ui/*', '**/env', '@/env'],
      message: 'src/sandbox/ is independent of the app: it imports nothing from integrations, core, db, jobs, app, ui or env.',
    },
  ],
};
const appSideForbiddenImports = {
  patterns: [{ group: ['**/sandbox/**', '@/sandbox/*'], message: 'Only src/app/ mounts the sandbox; the app\'s clients, database and jobs import nothing from it.' }],
};

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'drizzle/**', 'next-env.d.ts', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', '.ci/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Handlers implement async interfaces; an async function without await is not a bug here.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['tests/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      // Tests read JSON bodies (`any`) and asymmetric matchers (expect.any...) are typed `any`;
      // the assertions themselves are the type check there.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/env.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/env.ts.' }],
    },
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sandboxForbiddenImports] },
  },
  {
    files: ['src/integrations/**/*.ts', 'src/db/**/*.ts', 'src/jobs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', appSideForbiddenImports] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', coreForbiddenImports],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'core/ does no I/O: take a port instead of calling fetch.' },
        { name: 'process', message: 'core/ reads no environment or process state.' },
        { name: 'XMLHttpRequest', message: 'core/ does no I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'core/ reads no environment.' },
        { object: 'globalThis', property: 'fetch', message: 'core/ does no I/O.' },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', fetch: 'readonly' } },
  },
);
