import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@cursorline/protocol';
import sockjs from 'sockjs';
import sockjsUtils from 'sockjs/lib/utils.js';
import { isOriginAllowed } from '../origin.ts';
import { rejectUpgrade } from './http-reject.ts';
import type { Peer, TransportContext } from './transport.ts';

export const SOCKJS_PATH = '/sockjs';

/** The parts of sockjs 0.3's private session we read to measure what is queued for a client. */
interface SockjsSession {
  send_buffer?: string[];
  recv?: { thingy?: { writableLength?: number } } | null;
}

/**
 * sockjs has no bufferedAmount: count what waits in its session (between polls) plus what the
 * current socket has not flushed (streaming responses and its WebSocket alike write to it).
 */
function queuedBytes(conn: sockjs.Connection): number {
  const session = (conn as unknown as { _session?: SockjsSession })._session;
  let bytes = session?.recv?.thingy?.writableLength ?? 0;
  for (const frame of session?.send_buffer ?? []) bytes += frame.length;
  return bytes;
}

/**
 * sockjs JSON-quotes every message once per recipient. A room hands the very same batch string to
 * each recipient in turn, so remembering the last answer makes all but the first free: about a
 * fifth of the server's CPU in a busy SockJS room (`pnpm bench -- --profile`).
 */
let lastIn: string | undefined;
let lastOut = '';
const quote = sockjsUtils.quote;
sockjsUtils.quote = (message) => {
  if (message !== lastIn) {
    lastOut = quote(message);
    lastIn = message;
  }
  return lastOut;
};

/** sockjs writes the code into its close frame as given: its typings say string, clients want a number. */
function closeConn(conn: sockjs.Connection, code: number, reason: string): void {
  conn.close(code as unknown as string, reason);
}

/**
 * SockJS transport: WebSocket when it can, HTTP streaming or polling when a proxy or network
 * forbids WebSockets. Text only, so peers get the text form of cursor batches.
 */
export function createSockjsTransport({
  config,
  accept,
  log,
  limits,
  onRefused,
}: TransportContext) {
  const server = sockjs.createServer({
    prefix: SOCKJS_PATH,
    log: (severity: string, message: string) => {
      if (severity === 'error') log.error({ transport: 'sockjs' }, message);
    },
    // How long a polling session may go without a request before sockjs calls it closed.
    // The default 5 s keeps a closed tab's cursor on screen that long; polls come back-to-back,
    // so 3 s is still generous for a slow network.
    disconnect_delay: 3000,
    // sockjs's own liveness: 'h' frames on HTTP transports, pings on its WebSocket.
    heartbeat_delay: config.heartbeatMs,
  });
  // sockjs reads xhr_send / jsonp_send bodies whole with no limit. A body may batch several
  // messages, so allow a few; beyond that the request is refused or cut off mid-stream.
  const maxBodyBytes = config.maxMessageBytes * 8;
  const handle = server.middleware();
  const connections = new Set<sockjs.Connection>();

  server.on('connection', (conn: sockjs.Connection | null) => {
    if (!conn) return; // sockjs emits null for a session that closed while opening
    const address = conn.remoteAddress;
    // A SockJS session is past any handshake we could refuse with a status: close it instead.
    if (!limits.tryAdmit(address)) {
      onRefused();
      closeConn(conn, CloseCode.TryAgainLater, 'server full');
      return;
    }
    connections.add(conn);
    const peer: Peer = {
      transport: 'sockjs',
      format: 'text',
      remoteAddress: conn.remoteAddress,
      send: (frame) => {
        if (typeof frame === 'string') conn.write(frame);
      },
      bufferedBytes: () => queuedBytes(conn),
      close: (code, reason) => closeConn(conn, code, reason),
    };
    const handler = accept(peer);
    conn.on('data', (message: string) => {
      // sockjs has already buffered the message; we refuse it here so it goes no further.
      if (Buffer.byteLength(message) > config.maxMessageBytes) {
        peer.close(CloseCode.TooBig, 'message too big');
        handler.onClose(true);
        return;
      }
      handler.onFrame(message);
    });
    conn.on('close', () => {
      connections.delete(conn);
      limits.release(address);
      // SockJS does not tell a closed tab from a lost network; a leaving page says bye first.
      handler.onClose(false);
    });
  });

  const owns = (req: IncomingMessage) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    return path === SOCKJS_PATH || path.startsWith(`${SOCKJS_PATH}/`);
  };

  function handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (!owns(req)) return false;
    if (!isOriginAllowed(req, config.allowedOrigins)) {
      log.warn({ origin: req.headers.origin, transport: 'sockjs' }, 'origin refused');
      res.writeHead(403).end();
      return true;
    }
    if (req.method === 'POST' && /_send$/.test(req.url ?? '') && !limitBody(req, res)) return true;
    return handle(req, res);
  }

  /** Refuses a declared oversize body, and cuts off one that grows past the limit. */
  function limitBody(req: IncomingMessage, res: ServerResponse): boolean {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      res.writeHead(413, { connection: 'close' }).end();
      req.resume();
      return false;
    }
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBodyBytes) req.destroy();
    });
    return true;
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!owns(req)) return false;
    if (!isOriginAllowed(req, config.allowedOrigins)) {
      rejectUpgrade(socket, 403, 'Forbidden');
      return true;
    }
    return handle(req, socket, head);
  }

  function close(): void {
    for (const conn of connections) closeConn(conn, CloseCode.GoingAway, 'server shutting down');
  }

  return { handleRequest, handleUpgrade, close };
}
