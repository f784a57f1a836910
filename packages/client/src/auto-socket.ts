import type { Frame } from '@cursorline/protocol';
import { openSocket, type SocketEvents, type SocketOptions, type WireSocket } from './socket.ts';
import { defaultTransportMemory, REMEMBER_MS, type TransportMemory } from './transport-memory.ts';

export interface AutoOptions {
  /** How long raw WebSocket gets to deliver its first frame (the welcome) before SockJS is tried. */
  wsTimeoutMs?: number;
  memory?: TransportMemory;
}

/** A healthy WebSocket says welcome within a round trip or two; a silent proxy never does. */
export const WS_TIMEOUT_MS = 2500;

/**
 * Close codes a browser reports when the WebSocket never really reached the server: refused
 * upgrade, an answer other than 101, a connection cut mid-handshake. Anything else was said by
 * the server itself, and SockJS would only hear it again.
 */
const UNREACHED: ReadonlySet<number> = new Set([1005, 1006, 1015]);

/**
 * `transport: 'auto'`: raw WebSocket first, and SockJS (which walks its own chain: websocket,
 * xhr-streaming, xhr-polling) when WebSocket cannot get a welcome through. The attempt that
 * fails is invisible to the caller: it sees one socket that opens (perhaps twice, so it says
 * hello again to the one that works) and delivers frames.
 *
 * SockJS is remembered for this origin only once it has actually got in, so a server that is
 * merely down (both fail) does not make every later visit skip WebSocket.
 */
function openAutoSocket(
  options: SocketOptions & AutoOptions,
  on: SocketEvents,
): WireSocket & { readonly fallback: string } {
  const memory = options.memory ?? defaultTransportMemory();
  const origin = new URL(options.url).origin;
  const remembered = memory.get(origin);
  let fallback = '';
  let current: WireSocket;
  let closedByUs = false;

  const viaSockjs = (reason: string, remember: boolean): WireSocket => {
    fallback = reason;
    let welcomed = false;
    return openSocket(
      { ...options, transport: 'sockjs' },
      {
        open: () => on.open(),
        frame: (frame: Frame) => {
          if (!welcomed && remember)
            memory.set(origin, { reason, until: Date.now() + REMEMBER_MS });
          welcomed = true;
          on.frame(frame);
        },
        close: (code, why) => on.close(code, why),
      },
    );
  };

  if (remembered && remembered.until > Date.now()) {
    current = viaSockjs(remembered.reason, false);
  } else {
    let welcomed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = (reason: string) => {
      clearTimeout(timer);
      if (closedByUs) return;
      const failed = current;
      current = viaSockjs(reason, true);
      failed.close();
    };
    const ws = openSocket(
      { ...options, transport: 'ws' },
      {
        // A WebSocket that opens after we gave up on it says nothing: SockJS has the floor.
        open: () => current === ws && on.open(),
        frame: (frame) => {
          if (current !== ws) return;
          if (!welcomed) {
            welcomed = true;
            clearTimeout(timer);
            memory.forget(origin);
          }
          on.frame(frame);
        },
        close: (code, why) => {
          if (current !== ws) return;
          if (!welcomed && UNREACHED.has(code)) giveUp('WebSocket blocked');
          else {
            clearTimeout(timer);
            on.close(code, why);
          }
        },
      },
    );
    current = ws;
    timer = setTimeout(
      () => !welcomed && current === ws && giveUp('WebSocket timed out'),
      options.wsTimeoutMs ?? WS_TIMEOUT_MS,
    );
  }

  return {
    describe: () => current.describe(),
    get binary() {
      return current.binary;
    },
    get fallback() {
      return fallback;
    },
    send: (frame) => current.send(frame),
    close: () => {
      closedByUs = true;
      current.close();
    },
  };
}

/** The socket the options ask for: `auto` (the default), or one forced transport. */
export function openChosenSocket(
  options: SocketOptions & AutoOptions,
  on: SocketEvents,
): WireSocket & { readonly fallback?: string } {
  const transport = options.transport ?? 'auto';
  return transport === 'auto'
    ? openAutoSocket(options, on)
    : openSocket({ ...options, transport }, on);
}
