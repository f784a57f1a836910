import type { Frame } from '@cursorline/protocol';
import SockJS from 'sockjs-client';

export type TransportName = 'ws' | 'sockjs';
/** `auto`: WebSocket, falling back to SockJS where it cannot get through (auto-socket.ts). */
export type TransportChoice = TransportName | 'auto';

/** The SockJS transports a user may force, e.g. to test the HTTP fallbacks. */
export const SOCKJS_TRANSPORTS = [
  'websocket',
  'xhr-streaming',
  'xhr-polling',
  'eventsource',
] as const;
export type SockjsTransport = (typeof SOCKJS_TRANSPORTS)[number];

/**
 * What SockJS may walk through when nothing is forced: its default list minus the iframe-based
 * transports (the server does not serve their iframe page; see apps/server/src/transports/sockjs.ts)
 * and the IE-only XDomainRequest ones.
 */
const DEFAULT_SOCKJS_TRANSPORTS = [...SOCKJS_TRANSPORTS, 'jsonp-polling'];

/** Any WebSocket class with the browser API: the browser's own, or `ws` in Node. */
export type WebSocketClass = new (url: string) => WebSocket;

export interface SocketOptions {
  /** The server's http(s) base URL, e.g. http://localhost:8787 or the page's origin. */
  url: string;
  /** Default `auto`. */
  transport?: TransportChoice;
  sockjsTransports?: readonly SockjsTransport[];
  WebSocket?: WebSocketClass;
}

export interface SocketEvents {
  open(): void;
  frame(frame: Frame): void;
  close(code: number, reason: string): void;
}

/** One connection attempt over either transport, behind the same four calls. */
export interface WireSocket {
  /** The transport actually carrying the data, e.g. "ws" or "sockjs/xhr-polling". */
  describe(): string;
  /** Binary frames go only over ws; SockJS takes text. */
  readonly binary: boolean;
  send(frame: Frame): void;
  close(): void;
}

export function openSocket(
  options: SocketOptions & { transport: TransportName },
  on: SocketEvents,
): WireSocket {
  const base = options.url.replace(/\/$/, '');

  if (options.transport === 'ws') {
    const WS = options.WebSocket ?? globalThis.WebSocket;
    const ws = new WS(`${base.replace(/^http/, 'ws')}/ws`);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => on.open();
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) =>
      on.frame(typeof e.data === 'string' ? e.data : new Uint8Array(e.data));
    ws.onclose = (e: CloseEvent) => on.close(e.code, e.reason);
    // A close event always follows an error; `ws` in Node would throw an unheard error event.
    ws.onerror = () => {};
    return {
      describe: () => 'ws',
      binary: true,
      send: (frame) => ws.readyState === ws.OPEN && ws.send(frame),
      // 1000: we are leaving on purpose (the server then removes us at once).
      close: () => ws.close(1000),
    };
  }

  const sock = new SockJS(`${base}/sockjs`, null, {
    transports: options.sockjsTransports
      ? [...options.sockjsTransports]
      : DEFAULT_SOCKJS_TRANSPORTS,
  });
  sock.onopen = () => on.open();
  sock.onmessage = (e: MessageEvent<string>) => on.frame(e.data);
  sock.onclose = (e: CloseEvent) => on.close(e.code, e.reason);
  return {
    describe: () => {
      const inner = (sock as unknown as { transport?: string | null }).transport;
      return inner ? `sockjs/${inner}` : 'sockjs';
    },
    binary: false,
    send: (frame) => {
      if (typeof frame === 'string' && sock.readyState === SockJS.OPEN) sock.send(frame);
    },
    close: () => sock.close(),
  };
}
