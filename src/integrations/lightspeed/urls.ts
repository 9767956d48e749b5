/** Where a retailer's API lives. The template comes from configuration so tests and the sandbox can stand in. */

export function retailerBaseUrl(apiUrlTemplate: string, domainPrefix: string): string {
  // A domain prefix is a DNS label; anything else would let a caller steer requests elsewhere.
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(domainPrefix)) throw new Error(`not a Lightspeed domain prefix: ${JSON.stringify(domainPrefix)}`);
  return apiUrlTemplate.replace('{domain_prefix}', domainPrefix).replace(/\/+$/, '');
}

/** The dated API this client is written against (`specs/lightspeed/x-series-2026-07.openapi.json`). */
export const API_VERSION = '2026-07';

export function apiBaseUrl(apiUrlTemplate: string, domainPrefix: string): string {
  return `${retailerBaseUrl(apiUrlTemplate, domainPrefix)}/api/${API_VERSION}`;
}
