/**
 * The transports Cursorline ships, by name: the one place their names and URL paths are spelled.
 * The server's registry (apps/server/src/transports/registry.ts) and the client's
 * (packages/client/src/socket.ts) each hold one module per entry here, and everything else that
 * names a transport derives it from this: the TRANSPORTS environment variable, the `transport`
 * label on the server's metrics, the page's ?transport= parameter, the dev server's proxy, the
 * load generator.
 *
 * It holds only what both ends must agree on. How a transport attaches to the server, or opens
 * from a browser, lives in its two modules.
 */
export const TRANSPORTS = {
  /** A raw WebSocket (`ws` on the server): binary cursor batches, the default. */
  ws: { path: '/ws', binary: true },
  /** SockJS: WebSocket when it can, HTTP streaming or polling when a network forbids it. Text only. */
  sockjs: { path: '/sockjs', binary: false },
} as const satisfies Record<string, TransportSpec>;

export interface TransportSpec {
  /** Where the transport is reached under the server's base URL (a prefix, for SockJS). */
  readonly path: string;
  /** Whether it may carry binary frames; text-only transports get the text form of batches. */
  readonly binary: boolean;
}

export type TransportName = keyof typeof TRANSPORTS;

/** Every shipped transport's name, in the order `auto` and the docs list them. */
export const TRANSPORT_NAMES = Object.keys(TRANSPORTS) as [TransportName, ...TransportName[]];

export function isTransportName(value: unknown): value is TransportName {
  return typeof value === 'string' && Object.hasOwn(TRANSPORTS, value);
}
