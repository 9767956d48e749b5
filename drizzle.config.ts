import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/schema.ts', './src/db/inventory-schema.ts', './src/db/orders-schema.ts'],
  out: './drizzle',
  casing: 'snake_case',
});
