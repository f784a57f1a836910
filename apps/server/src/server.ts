import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ResumeTokenSchema } from '@cursorline/protocol';
import sirv from 'sirv';
import type { Backplane } from './backplane/backplane.ts';
import { InMemoryBackplane } from './backplane/in-memory.ts';
import { RedisBackplane } from './backplane/redis.ts';
import { addressLimits, defaultConfig, type ServerConfig } from './config.ts';
import { ConnectionLimits } from './connection-limits.ts';
import { startDemoBots } from './demo/demo-bots.ts';
import { createLogger, type Logger } from './log.ts';
import { LoopWatch } from './loop-watch.ts';
import { createMetrics } from './metrics.ts';
import { isOriginAllowed } from './origin.ts';
import { RoomRegistry } from './rooms/registry.ts';
import { pageHeaders } from './security-headers.ts';
import { createSession } from './session.ts';
import { SocketLimits } from './socket-limits.ts';
import { createAdmission } from './transports/admission.ts';
import { guarded } from './transports/boundary.ts';
import { SERVER_TRANSPORTS } from './transports/registry.ts';
import type { HttpHandlers, ServerTransport, TransportContext } from './transports/transport.ts';

export interface CursorlineServer {
  readonly config: ServerConfig;
  readonly rooms: RoomRegistry;
  readonly limits: ConnectionLimits;
  /** Resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** The port of the separate metrics listener (METRICS_PORT), once listening. */
  readonly metricsPort: number | null;
  /** The ports of the transports that own a listener, by name, once listening. */
  readonly transportPorts: ReadonlyMap<string, number>;
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
 * One HTTP server carries everything: the transports that share it (raw WebSockets on /ws,
 * SockJS and its HTTP fallbacks under /sockjs), /healthz, /readyz, /metrics, the page's goodbye
 * beacon on /leave, and in production the built web page. A transport may also own a listener
 * of its own. `registry` is the list of transports config.transports picks from by name:
 * SERVER_TRANSPORTS unless a test or an extension brings its own.
 */
export function createServer(
  overrides: Partial<ServerConfig> = {},
  log: Logger = createLogger(overrides.logLevel ?? defaultConfig.logLevel),
  backplane?: Backplane,
  registry: readonly ServerTransport[] = SERVER_TRANSPORTS,
): CursorlineServer {
  const config: ServerConfig = { ...defaultConfig, ...overrides };
  const perAddress = addressLimits(config);
  const bus = backplane ?? chooseBackplane(config, log);
  const rooms = new RoomRegistry({ ...config, maxSeatsPerIp: perAddress.seats }, bus);
  const enabled = config.transports.map((name) => {
    const transport = registry.find((t) => t.name === name);
    if (!transport) throw new Error(`unknown transport ${name}`);
    return transport;
  });
  const metrics = createMetrics(
    rooms,
    registry.map((t) => t.name),
    bus.rejected,
  );
  const limits = new ConnectionLimits(config.maxConnections, config.maxConnectionsPerIp);
  const stalls = new LoopWatch();
  let ready = true;
  let draining = false;

  const admission = createAdmission({
    allowedOrigins: config.allowedOrigins,
    maxMessageBytes: config.maxMessageBytes,
    limits,
    log,
    accept: guarded(
      metrics.instrument((connection) => createSession(connection, rooms, config, log, stalls)),
      log,
      () => metrics.errors.inc(),
    ),
    onRefused: () => metrics.refused.inc(),
  });
  const serveStatic = config.staticDir
    ? sirv(config.staticDir, {
        single: true,
        etag: true,
        gzip: true,
        setHeaders: (res) => {
          for (const [name, value] of pageHeaders(config.allowedOrigins))
            res.setHeader(name, value);
        },
      })
    : null;

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(body));

  /** A bug while answering one request answers 500 (if it still can); the server carries on. */
  function guardedRequest(
    handle: HttpHandlers['onRequest'],
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    try {
      handle(req, res);
    } catch (err) {
      metrics.errors.inc();
      log.error({ err, url: req.url?.slice(0, 200) }, 'error while answering a request');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      json(res, 200, { status: 'ok', rooms: rooms.roomCount, users: rooms.userCount });
    } else if (path === '/readyz') {
      // A load balancer stops sending new users here as soon as shutdown begins.
      const isReady = ready && !draining;
      json(res, isReady ? 200 : 503, { ready: isReady });
    } else if (path === '/metrics') {
      // Not there unless allowed (and never the page, which a single-page fallback would serve).
      if (config.metrics && metricsAllowed(req)) serveMetrics(res);
      else res.writeHead(404).end();
    } else if (path === '/leave' && req.method === 'POST') {
      leaveBeacon(req, res);
    } else if (transports.some((t) => t.handleRequest?.(req, res))) {
      // served by a transport that shares this server
    } else if (serveStatic) {
      serveStatic(req, res, () => {
        res.writeHead(404).end();
      });
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }

  function serveMetrics(res: ServerResponse): void {
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  }

  /** On the public port: only with the token, or when configured public (outside production). */
  function metricsAllowed(req: IncomingMessage): boolean {
    if (config.metricsToken !== null) {
      return req.headers.authorization === `Bearer ${config.metricsToken}`;
    }
    return config.metricsPublic;
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

  // Every TCP socket counts, whatever it is doing: idle keep-alives and half-sent requests too.
  // One count per address across every listener of this node.
  const sockets = new SocketLimits(perAddress.sockets, config.headersTimeoutMs);

  /** An HTTP server with every protection: the main one, and those of transports that own one. */
  function guardedHttpServer({ onRequest, onUpgrade }: HttpHandlers): Server {
    const server = createHttpServer(
      // Slowloris: a client must finish its request headers within 10 s, its body within 30 s.
      // (A socket that sends nothing at all is cut by the headers timeout too.)
      {
        headersTimeout: config.headersTimeoutMs,
        requestTimeout: config.requestTimeoutMs,
        // Node checks those timeouts every 30 s by default, which lets idle sockets pile up.
        connectionsCheckingInterval: 1000,
        // Idle keep-alive sockets: Node closes them after 5 s by default. After a stall longer
        // than that, its timer can fire before the request that arrived meanwhile is read, and
        // the client's POST (a SockJS send) fails. 65 s also outlives common proxies' idle timers.
        keepAliveTimeout: 65_000,
      },
      (req, res) => guardedRequest(onRequest, req, res),
    );
    // (SockJS's HTTP transports hold two sockets per session, hence twice the connection cap.)
    server.maxConnections = config.maxConnections * 2 + perAddress.sockets;
    server.on('connection', (socket) => sockets.admit(socket));
    server.on('request', (req) => sockets.used(req.socket));
    server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      sockets.used(req.socket);
      socket.on('error', () => socket.destroy());
      try {
        if (!ready) {
          socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        } else if (!onUpgrade?.(req, socket, head)) {
          socket.destroy();
        }
      } catch (err) {
        metrics.errors.inc();
        log.error({ err }, 'error during an upgrade');
        socket.destroy();
      }
    });
    return server;
  }

  const http = guardedHttpServer({
    onRequest: route,
    onUpgrade: (req, socket, head) => transports.some((t) => t.handleUpgrade?.(req, socket, head)),
  });
  const context: TransportContext = {
    config,
    log,
    admission,
    createHttpServer: guardedHttpServer,
  };
  const transports = enabled.map((t) => ({ name: t.name, ...t.attach(context) }));
  const transportPorts = new Map<string, number>();

  const metricsHttp: Server | null =
    config.metrics && config.metricsPort !== null
      ? createHttpServer((req, res) => {
          if ((req.url ?? '/').split('?')[0] === '/metrics') serveMetrics(res);
          else res.writeHead(404).end();
        })
      : null;
  let metricsPort: number | null = null;

  const ticker = setInterval(
    () =>
      rooms.flush((err, room) => {
        metrics.errors.inc();
        log.error({ err, room }, 'error while flushing a room');
      }),
    config.tickMs,
  );
  const demo = config.demoBots > 0 ? startDemoBots(rooms, config) : null;

  return {
    config,
    rooms,
    limits,
    get metricsPort() {
      return metricsPort;
    },
    transportPorts,
    listen: async () => {
      if (metricsHttp && config.metricsPort !== null) {
        metricsPort = await listenOn(metricsHttp, config.metricsPort, config.metricsHost);
        log.info({ port: metricsPort, host: config.metricsHost }, 'metrics listening');
      }
      for (const t of transports) {
        if (!t.listen) continue;
        const own = await t.listen(config.host);
        transportPorts.set(t.name, own);
        log.info({ port: own, transport: t.name }, 'transport listening');
      }
      const port = await listenOn(http, config.port, config.host);
      log.info({ port, transports: config.transports }, 'listening');
      return port;
    },
    drain: () => {
      draining = true;
    },
    close: async () => {
      ready = false;
      clearInterval(ticker);
      stalls.stop();
      metricsHttp?.close();
      demo?.stop();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      await rooms.closeAll();
      const transportsClosed = Promise.all(transports.map((t) => t.close()));
      http.closeIdleConnections();
      // Give clients a moment to read their 1001 before the sockets go.
      setTimeout(() => http.closeAllConnections(), 500).unref();
      await Promise.all([closed, transportsClosed]);
    },
  };
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** A Redis Cluster (sharded pub/sub) if given, else one Redis if given, else this process only. */
function chooseBackplane(config: ServerConfig, log: Logger): Backplane {
  if (config.redisCluster) return new RedisBackplane({ cluster: config.redisCluster }, log);
  if (config.redisUrl) return new RedisBackplane({ url: config.redisUrl }, log);
  return new InMemoryBackplane();
}
