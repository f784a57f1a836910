import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.ts';

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

const ports = [
  'E2E_DEV_SERVER_PORT',
  'E2E_DEV_WEB_PORT',
  'E2E_PROD_PORT',
  'E2E_REDIS_PORT',
  'E2E_NODE1_PORT',
  'E2E_NODE2_PORT',
];
for (const name of ports) process.env[name] ??= String(await freePort());
const devServerPort = process.env.E2E_DEV_SERVER_PORT;
const devWebPort = process.env.E2E_DEV_WEB_PORT;
const prodPort = process.env.E2E_PROD_PORT;
const redisPort = Number(process.env.E2E_REDIS_PORT);
const redisUrl = `redis://127.0.0.1:${redisPort}`;
// Two production nodes sharing one Redis, for the scale-out test.
const nodes = [process.env.E2E_NODE1_PORT, process.env.E2E_NODE2_PORT];
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The projects asked for on the command line (`--project=dev`, `--project dev`, repeatable), or
 * null for all. Only their servers are started: running one spec on one project starts one
 * server, not five (Playwright's webServer list is shared by every project).
 */
function projectsAsked(argv: readonly string[]): ReadonlySet<string> | null {
  const names = new Set<string>();
  argv.forEach((arg, i) => {
    if (arg.startsWith('--project=')) names.add(arg.slice('--project='.length));
    else if (arg === '--project' && argv[i + 1]) names.add(argv[i + 1] as string);
  });
  return names.size > 0 ? names : null;
}
const asked = projectsAsked(process.argv);
const wanted = (project: string) => asked === null || asked.has(project);
// Every test user comes from 127.0.0.1, as if all were behind one proxy: the per-address cap on
// new rooms (30 a minute by default) would stop a suite that makes a room per test.
const oneAddress = { MAX_NEW_ROOMS_PER_MIN: '100000' };

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
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    {
      name: 'dev',
      testIgnore: /multinode|deploy\//,
      use: { baseURL: `http://127.0.0.1:${devWebPort}` },
    },
    {
      name: 'prod',
      testIgnore: /multinode|deploy\//,
      use: { baseURL: `http://127.0.0.1:${prodPort}` },
    },
    // Users on two nodes behind no load balancer: each test picks the node per user.
    {
      name: 'multinode',
      testMatch: /multinode/,
      use: { baseURL: `http://127.0.0.1:${nodes[0]}` },
    },
    // Real nginx and HAProxy from deploy/, hostile proxies, node failures, the release directory.
    // Each worker starts its own deployment (tests/deploy/stack.ts), so these need no web server.
    {
      name: 'deploy',
      testMatch: /deploy\/.*\.spec\.ts/,
    },
  ],
  webServer: [
    ...(wanted('dev') ? [devServer()] : []),
    ...(wanted('prod') ? [prodServer()] : []),
    ...(wanted('multinode') ? multinodeServers() : []),
  ],
});

function devServer() {
  return {
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
      ...oneAddress,
    },
    reuseExistingServer: false,
    timeout: 60_000,
  };
}

function prodServer() {
  return {
    command: 'pnpm start',
    cwd: root,
    url: `http://127.0.0.1:${prodPort}/healthz`,
    env: { PORT: String(prodPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...oneAddress },
    reuseExistingServer: false,
    timeout: 30_000,
  };
}

/** One Redis and two production nodes sharing it. */
function multinodeServers() {
  return [
    {
      command: `redis-server --port ${redisPort} --bind 127.0.0.1 --save '' --appendonly no`,
      port: redisPort,
      reuseExistingServer: false,
      timeout: 15_000,
    },
    ...nodes.map((port) => ({
      command: 'pnpm start',
      cwd: root,
      url: `http://127.0.0.1:${port}/healthz`,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        REDIS_URL: redisUrl,
        ...oneAddress,
      },
      reuseExistingServer: false,
      timeout: 30_000,
    })),
  ];
}
