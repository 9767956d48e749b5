#!/usr/bin/env node
/**
 * `npm run sandbox:tokens`: API tokens for the sandbox store and retailer of a running app in
 * sandbox mode, to call their APIs by hand (curl, Postman) the way Counterpart does:
 *   - BigCommerce: a store API token from the sandbox's control API (X-Auth-Token);
 *   - Lightspeed: an OAuth access token for the sandbox retailer (Authorization: Bearer), through
 *     the sandbox's own authorization-code flow, with the sandbox app's credentials.
 * The sandbox app's Lightspeed client secret is derived from SESSION_SECRET (as src/env.ts does),
 * read from the environment or from DATA_DIR/secrets.json.
 *   npm run sandbox:tokens                  # the app at http://localhost:3000
 *   npm run sandbox:tokens -- http://localhost:4000
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const base = (process.argv[2] || process.env.APP_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '');
const store = 'sandbox1';

function sessionSecret() {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET.trim();
  const file = path.resolve(process.env.DATA_DIR || '.data', 'secrets.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')).sessionSecret;
  } catch {
    console.error(`No SESSION_SECRET and no ${file}: start the app once (npm start) so it creates its local secrets.`);
    process.exit(1);
  }
}

async function json(response, what) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    console.error(`${what} answered ${response.status}: ${JSON.stringify(body)}. Is the app running at ${base} in sandbox mode?`);
    process.exit(1);
  }
  return body;
}

let bc;
try {
  bc = await json(await fetch(`${base}/sandbox/bigcommerce/_sandbox/stores/${store}/token`, { method: 'POST' }), 'The BigCommerce sandbox');
} catch (error) {
  console.error(`Could not reach ${base}: ${error.cause?.code ?? error.message}. Start the app with npm start first.`);
  process.exit(1);
}

const redirectUri = `${base}/api/lightspeed/callback`;
const code = await json(
  await fetch(`${base}/sandbox/lightspeed/_sandbox/auth-codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uri: redirectUri }) }),
  'The Lightspeed sandbox',
);
const clientSecret = createHmac('sha256', sessionSecret()).update('lightspeed-sandbox-client-secret').digest('base64url');
const form = new URLSearchParams({ grant_type: 'authorization_code', code: code.code, client_id: 'counterpart-sandbox', client_secret: clientSecret, redirect_uri: redirectUri });
const ls = await json(await fetch(`${base}/sandbox/lightspeed/${code.domain_prefix}/api/1.0/token`, { method: 'POST', body: form }), 'The Lightspeed sandbox token endpoint');

console.log(`BigCommerce sandbox store "${store}"
  API base:     ${base}/sandbox/bigcommerce/stores/${store}
  X-Auth-Token: ${bc.access_token}
  try:          curl -H 'X-Auth-Token: ${bc.access_token}' ${base}/sandbox/bigcommerce/stores/${store}/v3/catalog/products

Lightspeed sandbox retailer "${code.domain_prefix}"
  API base:     ${base}/sandbox/lightspeed/${code.domain_prefix}/api/2026-07
  Bearer token: ${ls.access_token} (expires in ${ls.expires_in ?? '?'} s; refresh token ${ls.refresh_token})
  try:          curl -H 'Authorization: Bearer ${ls.access_token}' ${base}/sandbox/lightspeed/${code.domain_prefix}/api/2026-07/outlets`);
