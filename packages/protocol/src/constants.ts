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
  chatMaxLength: 80,
} as const;

/** The reactions a user can send; anything else is refused, so nobody can burst arbitrary text. */
export const REACTIONS = ['👍', '❤️', '🎉', '😂', '😮', '👀'] as const;

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
  /** The same user connected again (resumed elsewhere); this older connection is retired. */
  Replaced: 4003,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Colors the server hands out, in the order it hands them out. Each keeps white label text at a
 * contrast ratio of at least 4.5:1 (WCAG AA; a test checks it) and the hues are spread so
 * neighbours in the list are easy to tell apart.
 */
export const PALETTE = [
  '#c62828',
  '#1565c0',
  '#2e7d32',
  '#6a1b9a',
  '#bf360c',
  '#00695c',
  '#ad1457',
  '#283593',
  '#5d4037',
  '#01579b',
  '#4527a0',
  '#37474f',
] as const;
