import { TRANSPORTS } from '@cursorline/protocol';
import SockJS from 'sockjs-client';
import type { ClientTransport } from './socket.ts';

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

/**
 * SockJS (sockjs-client): text only, and it walks its own chain of fallbacks. `headers` reach its
 * WebSocket handshake in Node (its HTTP transports send none of their own there).
 */
export const sockjsClientTransport = {
  name: 'sockjs',
  path: TRANSPORTS.sockjs.path,
  open(options, on) {
    const base = options.url.replace(/\/$/, '');
    // transportOptions (per transport, undeclared in @types/sockjs-client) reach faye-websocket.
    const sockjsOptions: SockJS.Options & { transportOptions?: object } = {
      transports: options.sockjsTransports
        ? [...options.sockjsTransports]
        : DEFAULT_SOCKJS_TRANSPORTS,
    };
    if (options.headers) {
      sockjsOptions.transportOptions = { websocket: { headers: options.headers } };
    }
    const sock = new SockJS(`${base}${TRANSPORTS.sockjs.path}`, null, sockjsOptions);
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
  },
} as const satisfies ClientTransport;
