export async function register() {
  // NEXT_RUNTIME is a build-time constant set by Next.js, not configuration: it keeps the
  // Node-only start-up (database, jobs) out of the edge bundle.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startApp } = await import('./instrumentation-node');
    await startApp();
  }
}
