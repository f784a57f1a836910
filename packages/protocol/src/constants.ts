/**
 * Numbers both sides must agree on. Changing one of these is a protocol change:
 * bump PROTOCOL_VERSION and describe it in PROTOCOL.md.
 */

/** Sent by the client in its first message; the server refuses versions it cannot speak. */
export const PROTOCOL_VERSION = 3;
export const MIN_PROTOCOL_VERSION = 3;

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
  /** The room has as many users as the server allows in one room. */
  RoomFull: 4004,
  /**
   * Too many messages (or new rooms) too fast. Not final: wait `SLOW_DOWN_COOLDOWN_MS`, then
   * reconnect and resume; the seat is kept for the resume grace period like any drop.
   */
  SlowDown: 4005,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** How long a client closed with 4005 waits before it reconnects. */
export const SLOW_DOWN_COOLDOWN_MS = 5000;

/** RFC 6455: a close frame's reason is at most 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * A close reason that always fits a close frame: cut to 123 bytes of UTF-8 without splitting a
 * character. The server builds reasons from fixed text only; this is the second line of defence.
 */
export function closeReason(text: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const size = utf8Length(ch.codePointAt(0) ?? 0);
    if (bytes + size > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/** Bytes of one code point in UTF-8 (a lone surrogate becomes U+FFFD: 3 bytes). */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

/**
 * SockJS's raw WebSocket endpoint (`/sockjs/websocket`) runs on faye-websocket, which only takes
 * 1000 and 3000–4999 and throws on anything else. There our 1xxx codes travel as 3000 + (code −
 * 1000): 1008 becomes 3008. `fromRawSockjsCode` turns them back.
 */
export function toRawSockjsCode(code: number): number {
  if (code === 1000 || (code >= 3000 && code <= 4999)) return code;
  if (code > 1000 && code < 2000) return 3000 + (code - 1000);
  return 1000;
}
export function fromRawSockjsCode(code: number): number {
  return code > 3000 && code < 3100 ? code - 2000 : code;
}

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
