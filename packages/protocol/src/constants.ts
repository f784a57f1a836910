/**
 * Numbers both sides must agree on. Changing one of these is a protocol change:
 * bump PROTOCOL_VERSION and describe it in PROTOCOL.md.
 */

/** Sent by the client in its first message; the server refuses versions it cannot speak. */
export const PROTOCOL_VERSION = 1;
export const MIN_PROTOCOL_VERSION = 1;

/**
 * Cursor positions are in board units, not viewport pixels: the web page lays its shared content
 * out on a board of this logical size and scales it to the window, so a position means the same
 * spot on the content for every user whatever their window size or scroll.
 */
export const BOARD_WIDTH = 1600;
export const BOARD_HEIGHT = 1000;

export const LIMITS = {
  /** Largest inbound message the server accepts by default (bytes). Real messages are < 200. */
  maxMessageBytes: 4096,
  nameMaxLength: 32,
  roomMaxLength: 64,
} as const;

/**
 * WebSocket close codes the server uses. 1xxx are the RFC 6455 meanings; 4xxx are ours.
 * SockJS carries the same codes in its close frame, so both transports report alike.
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** The bytes are not a message at all: not JSON, a broken compact frame, binary on a text-only path. */
  InvalidData: 1007,
  /** A well-formed message that breaks the rules: unknown type, bad fields, wrong order. */
  PolicyViolation: 1008,
  TooBig: 1009,
  InternalError: 1011,
  TryAgainLater: 1013,
  /** The client's protocol version is one this server cannot speak. */
  UnsupportedVersion: 4001,
  /** The client did not say hello in time. */
  HelloTimeout: 4002,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Colors the server hands out; chosen for contrast on light and dark backgrounds. */
export const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#0f9d9a',
  '#f032e6',
  '#808000',
  '#9a6324',
  '#d81b60',
  '#1e88e5',
  '#43a047',
] as const;
