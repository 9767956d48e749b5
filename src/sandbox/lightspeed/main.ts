/**
 * Standalone Lightspeed sandbox: `npx tsx src/sandbox/lightspeed/main.ts --port 4200`
 * Options: --port N, --host H, --base-path /p, --persist file.json, --products N, --run-seed N,
 * --client-id ID, --client-secret S. Prints where it listens and the demo credentials.
 */
import { createLightspeedSandbox } from './index';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const clientId = arg('client-id') ?? 'sandbox-client-id';
const clientSecret = arg('client-secret') ?? 'sandbox-client-secret';
const basePath = arg('base-path') ?? '';
const products = arg('products');
const sandbox = createLightspeedSandbox({
  clientId,
  clientSecret,
  basePath,
  persistPath: arg('persist'),
  seed: products ? { products: Number(products) } : true,
  runSeed: arg('run-seed') === undefined ? undefined : Number(arg('run-seed')),
});
async function main(): Promise<void> {
const server = await sandbox.listen(Number(arg('port') ?? 4200), arg('host') ?? '127.0.0.1');
const origin = `${server.url}${basePath}`;
console.log(`Lightspeed X-Series sandbox listening on ${origin}`);
console.log(`  domain prefix:  ${sandbox.domainPrefix}`);
console.log(`  API base URL:   ${origin}/{domain_prefix}  (e.g. ${origin}/${sandbox.domainPrefix}/api/2026-07/products)`);
console.log(`  authorize:      ${origin}/connect?response_type=code&client_id=${clientId}&redirect_uri=…&state=…`);
console.log(`  token:          POST ${origin}/${sandbox.domainPrefix}/api/1.0/token`);
console.log(`  control:        ${origin}/_sandbox/retailers`);
console.log(`  client id:      ${clientId}`);
console.log(`  client secret:  ${clientSecret}`);

const stop = () => {
  void sandbox.close().then(() => server.close()).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
}

void main();
