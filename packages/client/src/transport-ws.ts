import { TRANSPORTS } from '@cursorline/protocol';
import type { ClientTransport } from './socket.ts';

/**
 * The raw WebSocket: one socket, binary cursor batches. `options.WebSocket` lets Node (tests,
 * bots) bring the `ws` library; `headers` reach only such a WebSocket, a browser sends its own.
 */
export const wsClientTransport = {
  name: 'ws',
  path: TRANSPORTS.ws.path,
  open(options, on) {
    const WS = options.WebSocket ?? globalThis.WebSocket;
    const url = `${options.url.replace(/\/$/, '').replace(/^http/, 'ws')}${TRANSPORTS.ws.path}`;
    const ws = options.headers ? new WS(url, [], { headers: options.headers }) : new WS(url);
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
  },
} as const satisfies ClientTransport;
