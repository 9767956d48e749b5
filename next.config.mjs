/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  compiler: { styledComponents: true },
  // PGlite loads its WASM and data files relative to its own module, pg-boss and postgres.js
  // hold sockets: all three must stay real Node modules, not bundled copies.
  serverExternalPackages: ['@electric-sql/pglite', 'pg-boss', 'postgres'],
  poweredByHeader: false,
  // The app's pages may be framed only by the BigCommerce control panel (and, for the sandbox
  // control panel, by this machine's loopback origins): no clickjacking from other sites.
  async headers() {
    return [
      {
        source: '/((?!api/).*)',
        headers: [
          {
            key: 'Content-Security-Policy',
            value: "frame-ancestors 'self' https://*.bigcommerce.com https://*.mybigcommerce.com http://localhost:* http://127.0.0.1:*",
          },
        ],
      },
    ];
  },
};

export default nextConfig;
