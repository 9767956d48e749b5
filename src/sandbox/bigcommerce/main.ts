/**
 * Standalone BigCommerce sandbox:
 *   npx tsx src/sandbox/bigcommerce/main.ts --port 4100 [--persist .data/bc-sandbox.json] [--seed 42]
 * Prints its URL, the demo app credentials it accepts, and a ready access token for the demo store.
 */
import { createBigCommerceSandbox } from './index';

const DEMO_CLIENT_ID = 'sandbox-client-id';
const DEMO_CLIENT_SECRET = 'sandbox-client-secret';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? 4100);
  const sandbox = createBigCommerceSandbox({
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    demoStore: true,
    persistPath: arg('persist'),
    seed: arg('seed'),
  });
  const server = await sandbox.listen(port);
  const token = sandbox.control.issueToken('sandbox1');
  console.log(`BigCommerce sandbox listening on ${server.url}`);
  console.log(`  client_id:     ${DEMO_CLIENT_ID}`);
  console.log(`  client_secret: ${DEMO_CLIENT_SECRET}`);
  console.log(`  demo store:    ${server.url}/stores/sandbox1/v3/...`);
  console.log(`  X-Auth-Token:  ${token}`);
  const stop = () => {
    sandbox.close();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
