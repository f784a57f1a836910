import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

/**
 * Runs every test twice: against the dev setup (`pnpm dev`: Vite + the server under tsx) and
 * against the production build (`pnpm start`: one Node process serving page and transports).
 * Ports are picked free at start-up and handed to the workers through the environment.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

for (const name of ['E2E_DEV_SERVER_PORT', 'E2E_DEV_WEB_PORT', 'E2E_PROD_PORT']) {
  process.env[name] ??= String(await freePort());
}
const devServerPort = process.env.E2E_DEV_SERVER_PORT;
const devWebPort = process.env.E2E_DEV_WEB_PORT;
const prodPort = process.env.E2E_PROD_PORT;
const root = fileURLToPath(new URL('..', import.meta.url));

// Debian's Chromium where there is one (no browser download needed), else Playwright's own.
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: './tests',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'dev', use: { baseURL: `http://127.0.0.1:${devWebPort}` } },
    { name: 'prod', use: { baseURL: `http://127.0.0.1:${prodPort}` } },
  ],
  webServer: [
    {
      command: 'pnpm dev',
      cwd: root,
      url: `http://127.0.0.1:${devWebPort}`,
      env: {
        PORT: String(devServerPort),
        HOST: '127.0.0.1',
        SERVER_PORT: String(devServerPort),
        WEB_PORT: String(devWebPort),
        LOG_LEVEL: 'warn',
        TURBO_TELEMETRY_DISABLED: '1',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: 'pnpm start',
      cwd: root,
      url: `http://127.0.0.1:${prodPort}/healthz`,
      env: { PORT: String(prodPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
