import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { defaultConfig, type ServerConfig } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { RoomRegistry } from './rooms/registry.ts';
import { createSession } from './session.ts';
import { createSockjsTransport } from './transports/sockjs.ts';
import type { Accept } from './transports/transport.ts';
import { createWsTransport } from './transports/ws.ts';

export interface CursorlineServer {
  readonly config: ServerConfig;
  readonly rooms: RoomRegistry;
  /** Resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Builds a server from a config; main.ts is only the env → config → listen wrapper, so tests
 * can start as many servers as they like on port 0.
 *
 * One HTTP server carries everything: /healthz, raw WebSockets on /ws, SockJS (and its HTTP
 * fallbacks) under /sockjs, and in production the built web page.
 */
export function createServer(
  overrides: Partial<ServerConfig> = {},
  log: Logger = createLogger(overrides.logLevel ?? defaultConfig.logLevel),
): CursorlineServer {
  const config: ServerConfig = { ...defaultConfig, ...overrides };
  const rooms = new RoomRegistry(config);
  const accept: Accept = (peer) => createSession(peer, rooms, config, log);

  const ws = config.transports.includes('ws') ? createWsTransport(config, accept, log) : null;
  const sockjs = config.transports.includes('sockjs')
    ? createSockjsTransport(config, accept, log)
    : null;
  const serveStatic = config.staticDir
    ? sirv(config.staticDir, { single: true, etag: true, gzip: true })
    : null;

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: 'ok', rooms: rooms.roomCount, users: rooms.userCount }));
      return;
    }
    if (sockjs?.handleRequest(req, res)) return;
    if (serveStatic) {
      serveStatic(req, res, () => {
        res.writeHead(404).end();
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  const http = createHttpServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, onRequest);
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (ws?.handleUpgrade(req, socket, head)) return;
    if (sockjs?.handleUpgrade(req, socket, head)) return;
    socket.destroy();
  });

  const ticker = setInterval(() => rooms.flush(), config.tickMs);

  return {
    config,
    rooms,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          const { port } = http.address() as AddressInfo;
          log.info({ port, transports: config.transports }, 'listening');
          resolve(port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        clearInterval(ticker);
        ws?.close();
        sockjs?.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
