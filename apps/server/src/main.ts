import { fileURLToPath } from 'node:url';
import { configFromEnv, defaultConfig } from './config.ts';
import { drainAndClose } from './drain.ts';
import { createLogger } from './log.ts';
import { createServer } from './server.ts';

// The production bundle (dist/main.js) serves the built page from apps/web/dist; in development
// Vite serves the page and proxies /ws and /sockjs here.
const production = process.env.NODE_ENV === 'production';
const builtWeb = fileURLToPath(new URL('../../web/dist', import.meta.url));
// In production /metrics is not public: it answers only with METRICS_TOKEN or on METRICS_PORT.
const config = configFromEnv(process.env, {
  ...defaultConfig,
  staticDir: production ? builtWeb : null,
  metricsPublic: !production,
});
const log = createLogger(config.logLevel);
const server = createServer(config, log);
await server.listen();

// Last lines of defence. A bug while handling one connection or request is caught much closer
// (transports/boundary.ts: that connection gets 1011, nobody else notices). What still reaches
// here is outside any connection:
// - a rejected promise nobody awaited (a backplane publish, a metrics scrape) abandoned only that
//   piece of work, so we log it and keep serving;
// - an exception thrown from a timer or a library's event left state we cannot reason about, so
//   we log it and shut down gracefully (clients get 1001 and reconnect, to another node or to
//   this one once its supervisor restarts it).
process.on('unhandledRejection', (err) => {
  log.error({ err }, 'unhandled promise rejection; carrying on');
});
process.once('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception; shutting down');
  setTimeout(() => process.exit(1), 3000).unref();
  void server.close().finally(() => process.exit(1));
});

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
