/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  compiler: { styledComponents: true },
  // PGlite loads its WASM and data files relative to its own module, pg-boss and postgres.js
  // hold sockets: all three must stay real Node modules, not bundled copies.
  serverExternalPackages: ['@electric-sql/pglite', 'pg-boss', 'postgres'],
  poweredByHeader: false,
  // Types are checked by `npm run typecheck` (tsc over the whole project, which CI runs): the build
  // does not check them a second time (about 40 s of CPU on every build and test run).
  typescript: { ignoreBuildErrors: true },
  // Security headers (CSP frame-ancestors, nosniff, no-store on the API) are set at run time by
  // src/proxy.ts: they depend on the configuration (sandbox or live), which a build cannot know.
};

export default nextConfig;
