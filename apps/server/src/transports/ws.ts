import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, closeReason, TRANSPORTS } from '@cursorline/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { rejectUpgrade } from './http-reject.ts';
import type { Connection, ServerTransport, TransportContext } from './transport.ts';

export const WS_PATH = TRANSPORTS.ws.path;
const HARD_MAX_PAYLOAD = 64 * 1024;
const CLOSE_GRACE_MS = 2000;

/**
 * Closes politely, but a client that stopped reading never answers: do not wait 30 s for it.
 * `ws` throws on a reason over 123 bytes or an invalid code; a close must never throw, so the
 * reason is cut and anything else that goes wrong ends the socket outright.
 */
function closeSoon(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, closeReason(reason));
  } catch {
    ws.terminate();
    return;
  }
  const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  // Do not hold the socket (and its buffers) in memory for the grace period once it is closed.
  ws.once('close', () => clearTimeout(timer));
}

/**
 * Raw WebSocket transport (the `ws` library). It owns the upgrade requests for WS_PATH and
 * leaves every other upgrade alone, so SockJS's own WebSocket endpoint keeps working on the
 * same port.
 */
export const wsTransport = {
  name: 'ws',
  attach: (context) => createWsTransport(context),
} as const satisfies ServerTransport;

function createWsTransport({ config, log, admission }: TransportContext) {
  const wss = new WebSocketServer({
    noServer: true,
    // A hard cap enforced by ws while reading the frame (it closes with 1009 before buffering
    // more). Messages between maxMessageBytes and this get the same code with a reason below.
    maxPayload: Math.max(config.maxMessageBytes, HARD_MAX_PAYLOAD),
    // Cursor frames are tiny and already compact; compression would only cost CPU and memory.
    perMessageDeflate: false,
  });

  // Heartbeat: ping everyone every heartbeatMs; whoever has not answered heartbeatTimeoutMs
  // later is gone (a dead network sends no close) and is cut, which resumes-or-removes them.
  // Browsers answer pings themselves, even in a background tab whose timers are throttled.
  const waitingForPong = new Set<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      waitingForPong.add(ws);
      ws.ping();
    }
    setTimeout(() => {
      for (const ws of waitingForPong) ws.terminate();
      waitingForPong.clear();
    }, config.heartbeatTimeoutMs).unref();
  }, config.heartbeatMs);
  heartbeat.unref();

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (new URL(req.url ?? '/', 'http://x').pathname !== WS_PATH) return false;
    if (!admission.originAllowed(req, 'ws')) {
      rejectUpgrade(socket, 403, 'Forbidden');
      return true;
    }
    const address = req.socket.remoteAddress ?? '';
    const slot = admission.reserve(address);
    if (!slot) {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return true;
    }
    socket.once('close', slot.release); // also covers a handshake that never completes
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = {
        transport: 'ws',
        format: 'binary',
        remoteAddress: address,
        send: (frame) => ws.send(frame),
        bufferedBytes: () => ws.bufferedAmount,
        close: (code, reason) => closeSoon(ws, code, reason),
      };
      const handler = admission.open(connection);
      ws.on('message', (data, isBinary) => {
        if (!Buffer.isBuffer(data)) return; // only with binaryType 'fragments', which we never set
        // A Buffer is a Uint8Array over a plain (never shared) ArrayBuffer; no copy needed.
        const bytes = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.length);
        handler.onFrame(isBinary ? bytes : data.toString('utf8'));
      });
      ws.on('pong', () => waitingForPong.delete(ws));
      // ws reports protocol violations (bad UTF-8, too big) here and closes with 1007 / 1009 itself.
      ws.on('error', (err) => log.debug({ err: err.message, transport: 'ws' }, 'socket error'));
      ws.on('close', (code) => {
        waitingForPong.delete(ws);
        slot.release();
        handler.onClose(code === 1000 || code === 1001);
      });
    });
    return true;
  }

  function close(): void {
    clearInterval(heartbeat);
    for (const ws of wss.clients) closeSoon(ws, CloseCode.GoingAway, 'server shutting down');
    wss.close();
  }

  return { handleUpgrade, close };
}
