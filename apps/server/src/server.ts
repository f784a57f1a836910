import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResumeTokenSchema } from '@cursorline/protocol';
import sirv from 'sirv';
import type { Backplane } from './backplane/backplane.ts';
import { InMemoryBackplane } from './backplane/in-memory.ts';
import { RedisBackplane } from './backplane/redis.ts';
import { defaultConfig, type ServerConfig } from './config.ts';
import { ConnectionLimits } from './connection-limits.ts';
import { startDemoBots } from './demo/demo-bots.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { isOriginAllowed } from './origin.ts';
import { RoomRegistry } from './rooms/registry.ts';
import { createSession } from './session.ts';
import { createSockjsTransport } from './transports/sockjs.ts';
import type { TransportContext } from './transports/transport.ts';
import { createWsTransport } from './transports/ws.ts';

export interface CursorlineServer {
  readonly config: ServerConfig;
  readonly rooms: RoomRegistry;
  readonly limits: ConnectionLimits;
  /** Resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /**
   * Starts draining: /readyz fails at once so load balancers stop sending users here, while
   * everything else is served as before. close() ends it (see drain.ts).
   */
  drain(): void;
  /**
   * Graceful shutdown: fails readiness, stops accepting, removes this node's users from every
   * room (other nodes drop them at once), tells every client to reconnect elsewhere (1001).
   */
  close(): Promise<void>;
}

/**
 * Builds a server from a config; main.ts is only the env → config → listen wrapper, so tests
 * can start as many servers as they like on port 0.
 *
 * One HTTP server carries everything: raw WebSockets on /ws, SockJS (and its HTTP fallbacks)
 * under /sockjs, /healthz, /readyz, /metrics, the page's goodbye beacon on /leave, and in
 * production the built web page.
 */
export function createServer(
  overrides: Partial<ServerConfig> = {},
  log: Logger = createLogger(overrides.logLevel ?? defaultConfig.logLevel),
  backplane?: Backplane,
): CursorlineServer {
  const config: ServerConfig = { ...defaultConfig, ...overrides };
  const rooms = new RoomRegistry(
    config,
    backplane ??
      (config.redisUrl ? new RedisBackplane(config.redisUrl, log) : new InMemoryBackplane()),
  );
  const metrics = createMetrics(rooms);
  const limits = new ConnectionLimits(config.maxConnections, config.maxConnectionsPerIp);
  let ready = true;
  let draining = false;

  const context: TransportContext = {
    config,
    log,
    limits,
    accept: metrics.instrument((peer) => createSession(peer, rooms, config, log)),
    onRefused: () => metrics.refused.inc(),
  };
  const ws = config.transports.includes('ws') ? createWsTransport(context) : null;
  const sockjs = config.transports.includes('sockjs') ? createSockjsTransport(context) : null;
  const serveStatic = config.staticDir
    ? sirv(config.staticDir, { single: true, etag: true, gzip: true })
    : null;

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(body));

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      json(res, 200, { status: 'ok', rooms: rooms.roomCount, users: rooms.userCount });
    } else if (path === '/readyz') {
      // A load balancer stops sending new users here as soon as shutdown begins.
      const isReady = ready && !draining;
      json(res, isReady ? 200 : 503, { ready: isReady });
    } else if (path === '/metrics' && config.metrics) {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else if (path === '/leave' && req.method === 'POST') {
      leaveBeacon(req, res);
    } else if (sockjs?.handleRequest(req, res)) {
      // served by SockJS
    } else if (serveStatic) {
      serveStatic(req, res, () => {
        res.writeHead(404).end();
      });
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }

  /**
   * The page sends its resume token here with navigator.sendBeacon when it goes away, so its
   * user leaves at once even on transports that cannot say goodbye (SockJS polling).
   */
  function leaveBeacon(req: IncomingMessage, res: ServerResponse): void {
    if (!isOriginAllowed(req, config.allowedOrigins)) {
      res.writeHead(403).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 64) req.destroy();
    });
    req.on('end', () => {
      const token = ResumeTokenSchema.safeParse(body.trim());
      if (!token.success) {
        res.writeHead(404).end();
        return;
      }
      // Ours: gone now (204). Else passed to the node holding the seat, if any (202).
      const here = rooms.leaveAnywhere(token.data);
      log.info({ here }, 'goodbye beacon');
      res.writeHead(here ? 204 : 202).end();
    });
  }

  const http = createHttpServer(
    // Slowloris: a client must finish its request headers within 10 s.
    { headersTimeout: 10_000, requestTimeout: 30_000 },
    onRequest,
  );
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (!ready) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
    } else if (!ws?.handleUpgrade(req, socket, head) && !sockjs?.handleUpgrade(req, socket, head)) {
      socket.destroy();
    }
  });

  const ticker = setInterval(() => rooms.flush(), config.tickMs);
  const demo = config.demoBots > 0 ? startDemoBots(rooms, config) : null;

  return {
    config,
    rooms,
    limits,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          const { port } = http.address() as AddressInfo;
          log.info({ port, transports: config.transports }, 'listening');
          resolve(port);
        });
      }),
    drain: () => {
      draining = true;
    },
    close: async () => {
      ready = false;
      clearInterval(ticker);
      demo?.stop();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      await rooms.closeAll();
      ws?.close();
      sockjs?.close();
      http.closeIdleConnections();
      // Give clients a moment to read their 1001 before the sockets go.
      setTimeout(() => http.closeAllConnections(), 500).unref();
      await closed;
    },
  };
}
