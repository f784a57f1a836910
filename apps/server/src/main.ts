import { fileURLToPath } from 'node:url';
import { configFromEnv, defaultConfig } from './config.ts';
import { drainAndClose } from './drain.ts';
import { createLogger } from './log.ts';
import { createServer } from './server.ts';

// The production bundle (dist/main.js) serves the built page from apps/web/dist; in development
// Vite serves the page and proxies /ws and /sockjs here.
const production = process.env.NODE_ENV === 'production';
const builtWeb = fileURLToPath(new URL('../../web/dist', import.meta.url));
const config = configFromEnv(process.env, {
  ...defaultConfig,
  staticDir: production ? builtWeb : null,
});
const log = createLogger(config.logLevel);
const server = createServer(config, log);
await server.listen();

// Graceful shutdown: the server says goodbye for its users and closes clients with 1001 so they
// reconnect to another node. SIGTERM (an orchestrator, a deploy) drains first so the load
// balancer sees /readyz fail before anyone is closed; SIGINT (Ctrl-C) closes at once. Whatever
// happens, we are gone within 9 s of the close starting.
const SHUTDOWN_DEADLINE_MS = 9000;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    const drainMs = signal === 'SIGTERM' ? config.drainMs : 0;
    log.info({ signal, drainMs }, 'shutting down');
    setTimeout(() => {
      log.warn('shutdown took too long; exiting');
      process.exit(1);
    }, drainMs + SHUTDOWN_DEADLINE_MS).unref();
    void drainAndClose(server, drainMs, log).then(() => process.exit(0));
  });
}
