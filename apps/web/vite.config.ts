import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
// By path, not by package name: Vite bundles a config's relative imports, but loads packages
// with plain Node, which cannot run the protocol package's TypeScript. The file imports nothing.
import { TRANSPORTS } from '../../packages/protocol/src/transports.ts';

// In development Vite serves the page and forwards the realtime endpoints to the Node server,
// so the page talks to its own origin exactly as it does in production (where the server
// serves the built page itself).
const serverPort = process.env.SERVER_PORT ?? process.env.PORT ?? '8787';
const api = `127.0.0.1:${serverPort}`;

export default defineConfig({
  plugins: [react()],
  // sockjs-client was written for browserify and reads `global`; browsers only have globalThis.
  define: { global: 'globalThis' },
  server: {
    host: process.env.WEB_HOST ?? '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 5173),
    // Another app on the port would otherwise push us to the next one, where no test looks.
    strictPort: true,
    // No changeOrigin: the server accepts a browser only when Origin matches Host, and keeping
    // the page's Host on the forwarded request is what makes the page same-origin there.
    // Every transport's path (WebSocket upgrades included), from the one list of them.
    proxy: {
      ...Object.fromEntries(
        Object.values(TRANSPORTS).map(({ path }) => [path, { target: `http://${api}`, ws: true }]),
      ),
      '/healthz': { target: `http://${api}` },
      '/leave': { target: `http://${api}` },
    },
  },
});
