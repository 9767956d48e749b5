/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  compiler: { styledComponents: true },
  // PGlite loads its WASM and data files relative to its own module, pg-boss and postgres.js
  // hold sockets: all three must stay real Node modules, not bundled copies.
  serverExternalPackages: ['@electric-sql/pglite', 'pg-boss', 'postgres'],
  poweredByHeader: false,
};

export default nextConfig;
