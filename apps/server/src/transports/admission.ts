import type { IncomingMessage } from 'node:http';
import { CloseCode, type Frame } from '@cursorline/protocol';
import type { ConnectionLimits } from '../connection-limits.ts';
import type { Logger } from '../log.ts';
import { isOriginAllowed } from '../origin.ts';
import type { Accept, Connection, ConnectionHandler } from './transport.ts';

/** One connection's place under the connection caps; release() may be called any number of times. */
export interface ConnectionSlot {
  release(): void;
}

/**
 * The way in, shared by every transport so none of them repeats (or forgets) a check:
 *
 * - `originAllowed`: the browser-origin rule (origin.ts: the allowlist, same-origin, and
 *   Sec-Fetch-Site when a browser sends no Origin), on every request and upgrade a transport
 *   answers;
 * - `reserve`: one slot under the total and per-address connection caps, or null when full;
 *   how to refuse is the transport's (ws answers 503 before the handshake, SockJS can only
 *   close with 1013);
 * - `open`: hands a new connection to the rest of the server, inside the error boundary
 *   (boundary.ts) and the metrics; a frame over MAX_MESSAGE_BYTES is refused with 1009 before
 *   the session reads it (inside the boundary and the metrics too, so that close is counted
 *   like any other).
 */
export interface Admission {
  originAllowed(req: IncomingMessage, transport: string): boolean;
  reserve(address: string): ConnectionSlot | null;
  open(connection: Connection): ConnectionHandler;
  readonly maxMessageBytes: number;
}

export interface AdmissionOptions {
  allowedOrigins: readonly string[];
  maxMessageBytes: number;
  limits: ConnectionLimits;
  /** What a connection is handed to: the session (server.ts builds it). */
  session: Accept;
  /** What goes around it: the error boundary and the metrics (server.ts). */
  around(inner: Accept): Accept;
  log: Logger;
  /** Called when the caps turn a connection away. */
  onRefused(): void;
}

const frameBytes = (frame: Frame) =>
  typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;

/**
 * The size rule in front of the session. The transport has read the frame (none can refuse
 * earlier in every case), but it goes no further: closed as too big, and the user leaves
 * (nothing to resume).
 */
function limitSize(session: Accept, maxMessageBytes: number): Accept {
  return (connection) => {
    const handler = session(connection);
    return {
      onFrame(frame) {
        if (frameBytes(frame) > maxMessageBytes) {
          connection.close(CloseCode.TooBig, 'message too big');
          handler.onClose(true);
          return;
        }
        handler.onFrame(frame);
      },
      onClose: (clean) => handler.onClose(clean),
    };
  };
}

export function createAdmission(options: AdmissionOptions): Admission {
  const { limits, log, maxMessageBytes } = options;
  const accept = options.around(limitSize(options.session, maxMessageBytes));
  return {
    maxMessageBytes,
    originAllowed(req, transport) {
      if (isOriginAllowed(req, options.allowedOrigins)) return true;
      log.warn({ origin: req.headers.origin, transport }, 'origin refused');
      return false;
    },
    reserve(address) {
      if (!limits.tryAdmit(address)) {
        options.onRefused();
        return null;
      }
      let released = false;
      return {
        release() {
          if (!released) limits.release(address);
          released = true;
        },
      };
    },
    open: (connection) => accept(connection),
  };
}
