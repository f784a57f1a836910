import { type Frame, TRANSPORT_NAMES, type TransportName } from '@cursorline/protocol';
import { type SockjsTransport, sockjsClientTransport } from './transport-sockjs.ts';
import { wsClientTransport } from './transport-ws.ts';

export type { TransportName } from '@cursorline/protocol';
/**
 * `auto`: WebSocket, falling back to SockJS where it cannot get through (auto-socket.ts). A
 * ClientTransport itself may be given too: one that is not in CLIENT_TRANSPORTS (a test's, an
 * extension's).
 */
export type TransportChoice = TransportName | 'auto';

/**
 * Any WebSocket class with the browser API: the browser's own, or `ws` in Node (whose third
 * argument takes handshake headers; a browser ignores it).
 */
export type WebSocketClass = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string> },
) => WebSocket;

export interface SocketOptions {
  /** The server's http(s) base URL, e.g. http://localhost:8787 or the page's origin. */
  url: string;
  /** Default `auto`. */
  transport?: TransportChoice | ClientTransport;
  sockjsTransports?: readonly SockjsTransport[];
  WebSocket?: WebSocketClass;
  /**
   * Extra handshake headers, for clients outside a browser (tests, bots): e.g. the Origin a
   * browser on another site would send. A browser sets its own and ignores these.
   */
  headers?: Record<string, string>;
}

export interface SocketEvents {
  open(): void;
  frame(frame: Frame): void;
  close(code: number, reason: string): void;
}

/** One connection attempt over some transport, behind the same four calls. */
export interface WireSocket {
  /** The transport actually carrying the data, e.g. "ws" or "sockjs/xhr-polling". */
  describe(): string;
  /** Binary frames go only over ws; SockJS takes text. */
  readonly binary: boolean;
  send(frame: Frame): void;
  close(): void;
}

/**
 * One client transport, as listed in CLIENT_TRANSPORTS: its name (the server's transport of the
 * same name answers it), where it connects under the server's URL, and how it opens.
 */
export interface ClientTransport {
  readonly name: string;
  readonly path: string;
  open(options: SocketOptions, on: SocketEvents): WireSocket;
}

/**
 * Every transport the client speaks, one module each, by the names the protocol package gives
 * them (TRANSPORTS): a name there without a module here does not compile. The page's
 * ?transport= takes these names; `auto` tries `ws`, then `sockjs` (auto-socket.ts).
 */
const byName: { readonly [N in TransportName]: ClientTransport & { readonly name: N } } = {
  ws: wsClientTransport,
  sockjs: sockjsClientTransport,
};

export const CLIENT_TRANSPORTS: readonly ClientTransport[] = TRANSPORT_NAMES.map((n) => byName[n]);

export const clientTransport = (name: TransportName): ClientTransport => byName[name];

export function openSocket(
  options: Omit<SocketOptions, 'transport'> & { transport: TransportName | ClientTransport },
  on: SocketEvents,
): WireSocket {
  const transport =
    typeof options.transport === 'string' ? clientTransport(options.transport) : options.transport;
  return transport.open(options, on);
}
