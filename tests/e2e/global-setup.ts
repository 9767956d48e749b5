import { existsSync } from 'node:fs';
import { chromiumPath } from '../support/browser';

/** End-to-end tests run against the production build; `npm test` builds it first. */
export default function setup() {
  if (!existsSync('.next/BUILD_ID')) throw new Error('No production build found: run `npm run build` (npm test does this for you).');
  chromiumPath();
}
