import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, closeReason, TRANSPORTS, toRawSockjsCode } from '@cursorline/protocol';
import sockjs from 'sockjs';
import sockjsUtils from 'sockjs/lib/utils.js';
import { rejectUpgrade } from './http-reject.ts';
import type { Connection, ServerTransport, TransportContext } from './transport.ts';

export const SOCKJS_PATH = TRANSPORTS.sockjs.path;

/** The parts of sockjs 0.3's private session we read to measure what is queued for a client. */
interface SockjsSession {
  session_id?: string | null;
  send_buffer?: string[];
  recv?: { thingy?: { writableLength?: number } } | null;
}

const sessionOf = (conn: sockjs.Connection) =>
  (conn as unknown as { _session?: SockjsSession })._session;

/** `/sockjs/<server>/<session>/<transport>` (sockjs also answers with a trailing slash). */
const SESSION_URL = new RegExp(`^${SOCKJS_PATH}/[^/.]+/([^/.]+)/[a-z_]+/?$`);
/** sockjs's iframe pages (`iframe.html`, `iframe-<version>.html`, …): not served, see below. */
const IFRAME_URL = new RegExp(`^${SOCKJS_PATH}/iframe[^/]*\\.html/?$`);

/**
 * sockjs has no bufferedAmount: count what waits in its session (between polls) plus what the
 * current socket has not flushed (streaming responses and its WebSocket alike write to it).
 */
function queuedBytes(conn: sockjs.Connection): number {
  const session = sessionOf(conn);
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

/**
 * sockjs writes the code into its close frame as given (its typings say string; clients want a
 * number). Its raw WebSocket endpoint hands the code to faye-websocket, which throws on anything
 * but 1000 and 3000–4999, so there our codes are mapped (see toRawSockjsCode in the protocol).
 */
function closeConn(conn: sockjs.Connection, code: number, reason: string): void {
  const wire = conn.protocol === 'websocket-raw' ? toRawSockjsCode(code) : code;
  conn.close(wire as unknown as string, closeReason(reason));
}

type SendHandler = (req: unknown, res: unknown, data: unknown, next: unknown) => unknown;
const NOT_PARSED = Symbol('not JSON');

/**
 * sockjs accepts a send body when `d.__proto__.constructor === Array`, which
 * `{"__proto__":[],"length":1e9}` passes (JSON.parse makes `__proto__` an own key): it then loops
 * a billion times over nothing and freezes the process. Its send handlers are looked up on its
 * app object at call time, so we put a gate in front of each that asks `Array.isArray` first.
 */
function requireArrayPayloads(app: Record<string, SendHandler>): void {
  for (const name of ['xhr_send', 'jsonp_send']) {
    const original = app[name];
    if (!original) throw new Error(`sockjs has no ${name} handler to guard`);
    app[name] = function (this: unknown, req, res, data, next) {
      const payload = sendPayload(data);
      if (payload !== NOT_PARSED && !Array.isArray(payload)) {
        // The answer sockjs itself gives a body that is not an array (webjs turns it into a 500).
        throw { status: 500, message: 'Payload expected.' };
      }
      return original.call(this, req, res, data, next);
    };
  }
}

/** The send body as sockjs will read it: JSON text, or a form whose `d` field is JSON text. */
function sendPayload(data: unknown): unknown {
  const parse = (text: string) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return NOT_PARSED; // sockjs answers "Broken JSON encoding" itself
    }
  };
  let d = typeof data === 'string' ? parse(data) : (data as { d?: unknown } | undefined)?.d;
  if (typeof d === 'string' && d) d = parse(d);
  return d;
}

/**
 * SockJS transport: WebSocket when it can, HTTP streaming or polling when a proxy or network
 * forbids WebSockets. Text only, so connections get the text form of cursor batches.
 */
export const sockjsTransport = {
  name: 'sockjs',
  attach: (context) => createSockjsTransport(context),
} as const satisfies ServerTransport;

function createSockjsTransport({ config, log, admission }: TransportContext) {
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
    // Never a CDN: the iframe pages that would load it are not served at all (handleRequest).
    sockjs_url: '/sockjs-client-not-served.js',
  });
  // sockjs reads xhr_send / jsonp_send bodies whole with no limit. A body may batch several
  // messages, so allow a few; beyond that the request is refused or cut off mid-stream.
  const maxBodyBytes = config.maxMessageBytes * 8;
  // What middleware() does, keeping hold of the listener's app to guard its send handlers.
  const listener = server.listener();
  requireArrayPayloads(listener.app);
  const handle = listener.getHandler();
  const connections = new Set<sockjs.Connection>();
  /** The address that opened each HTTP session: only it may send or receive in that session. */
  const sessionAddress = new Map<string, string>();

  server.on('connection', (conn: sockjs.Connection | null) => {
    if (!conn) return; // sockjs emits null for a session that closed while opening
    const address = conn.remoteAddress;
    // A SockJS session is past any handshake we could refuse with a status: close it instead.
    const slot = admission.reserve(address);
    if (!slot) {
      closeConn(conn, CloseCode.TryAgainLater, 'server full');
      return;
    }
    connections.add(conn);
    let closing = false;
    const sessionId = sessionOf(conn)?.session_id;
    if (sessionId) sessionAddress.set(sessionId, address);
    const connection: Connection = {
      transport: 'sockjs',
      format: 'text',
      remoteAddress: conn.remoteAddress,
      send: (frame) => {
        if (typeof frame === 'string') conn.write(frame);
      },
      bufferedBytes: () => queuedBytes(conn),
      close: (code, reason) => {
        // sockjs hands over the messages of one frame (`["a","b"]`) in a loop that dereferences
        // the session after each: closing in the middle of it throws (the session is gone). So
        // close once the loop is done; its remaining messages find this connection ended.
        if (closing) return;
        closing = true;
        setImmediate(() => closeConn(conn, code, reason));
      },
    };
    const handler = admission.open(connection);
    conn.on('data', (message: unknown) => {
      // sockjs passes on whatever JSON value a frame held (`[5]`, `[null]`, `[{}]`) and binary
      // frames from its raw WebSocket as Buffers: only strings are messages.
      if (typeof message !== 'string') {
        connection.close(CloseCode.InvalidData, 'message must be a string');
        handler.onClose(true);
        return;
      }
      // sockjs has already buffered the message; admission refuses one too big (1009) here.
      handler.onFrame(message);
    });
    conn.on('close', () => {
      connections.delete(conn);
      if (sessionId) sessionAddress.delete(sessionId);
      slot.release();
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
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // Every sockjs answer: never sniffed as another type, never framed by another site.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    if (!admission.originAllowed(req, 'sockjs')) {
      res.writeHead(403).end();
      return true;
    }
    // The iframe transports run sockjs-client inside a page of ours, so what they send carries
    // our own Origin: a page of any site could frame it and pass the origin check. Our client
    // does not use them (see packages/client), so the page is simply not there.
    if (IFRAME_URL.test(path)) {
      res.writeHead(404).end();
      return true;
    }
    const sessionId = SESSION_URL.exec(path)?.[1];
    // sockjs keeps its sessions in a plain object: `constructor` or `__proto__` as a session id
    // would find Object's own properties there and answer 500, or never.
    if (sessionId !== undefined && sessionId in Object.prototype) {
      res.writeHead(404).end();
      return true;
    }
    const owner = sessionId === undefined ? undefined : sessionAddress.get(sessionId);
    if (owner !== undefined && owner !== (req.socket.remoteAddress ?? '')) {
      // A session URL is not a credential: whoever learns it elsewhere cannot use it.
      res.writeHead(403).end();
      return true;
    }
    // Every POST that sockjs answers may carry a body it would buffer whole, whatever the URL
    // form (`/xhr_send`, `/xhr_send/`, `/xhr_send?x`, `/xhr`, …): cap them all.
    if (req.method === 'POST' && !limitBody(req, res)) return true;
    return handle(req, res);
  }

  /**
   * Refuses a declared oversize body before reading it, and one that grows past the limit (no
   * Content-Length, chunked) as soon as it does: this listener runs before sockjs's own, so
   * sockjs never holds more than the limit plus one chunk.
   */
  function limitBody(req: IncomingMessage, res: ServerResponse): boolean {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      // Answer, then hang up: reading (even discarding) a body we will not take costs us.
      res.once('finish', () => req.socket.destroy());
      res.writeHead(413, { connection: 'close' }).end();
      return false;
    }
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBodyBytes && !req.destroyed) {
        if (!res.headersSent) res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
      }
    });
    return true;
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!owns(req)) return false;
    if (!admission.originAllowed(req, 'sockjs')) {
      rejectUpgrade(socket, 403, 'Forbidden');
      return true;
    }
    const sessionId = SESSION_URL.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    if (sessionId !== undefined && sessionId in Object.prototype) {
      rejectUpgrade(socket, 404, 'Not Found');
      return true;
    }
    return handle(req, socket, head);
  }

  function close(): void {
    for (const conn of connections) closeConn(conn, CloseCode.GoingAway, 'server shutting down');
  }

  return { handleRequest, handleUpgrade, close };
}
