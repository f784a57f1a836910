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
 * Colors the server hands out, in the order it hands them out (the least used one in the room
 * goes to the next user). On the wire a user's color is always one of these: the light-theme
 * variant, which keeps white label text at a contrast ratio of at least 4.5:1 (WCAG AA; tests
 * check it). 32 hues, ordered so that colors handed out one after the other are far apart.
 */
export const PALETTE = [
  '#c74a51',
  '#108563',
  '#9a59bd',
  '#857513',
  '#037ac0',
  '#b05e4f',
  '#088471',
  '#98619e',
  '#787804',
  '#4776b4',
  '#c35018',
  '#02837d',
  '#b14f9f',
  '#697c2a',
  '#4e6fd5',
  '#a96432',
  '#118186',
  '#a75c86',
  '#4c8300',
  '#686eb5',
  '#a9650a',
  '#038091',
  '#c0497b',
  '#468246',
  '#7a63cf',
  '#9a6c18',
  '#0e7f9d',
  '#af5b6b',
  '#00864b',
  '#8367ae',
  '#916f00',
  '#157da9',
] as const;

/**
 * The dark-theme variant of each palette color: the same hue, light enough for dark label text
 * (#11131a) at 4.5:1 or better and to stand out from the dark page. Clients map a user's color
 * through this when the page is dark; a color not in the palette is shown as it is.
 */
export const PALETTE_DARK: Readonly<Record<(typeof PALETTE)[number], string>> = {
  '#c74a51': '#e47b7c',
  '#108563': '#63b092',
  '#9a59bd': '#ba85d8',
  '#857513': '#ac9f5b',
  '#037ac0': '#4fa6e9',
  '#b05e4f': '#d0897c',
  '#088471': '#1bb79e',
  '#98619e': '#ba8bbe',
  '#787804': '#a4a537',
  '#4776b4': '#79a1d6',
  '#c35018': '#e1815a',
  '#02837d': '#52b1a9',
  '#b14f9f': '#d07ebe',
  '#697c2a': '#96a767',
  '#4e6fd5': '#7b9aef',
  '#a96432': '#cb8f68',
  '#118186': '#1bb3ba',
  '#a75c86': '#c888aa',
  '#4c8300': '#7faf57',
  '#686eb5': '#9299d6',
  '#a9650a': '#d58c3b',
  '#038091': '#52aebe',
  '#c0497b': '#de7a9f',
  '#468246': '#7cad7a',
  '#7a63cf': '#9e8fe9',
  '#9a6c18': '#bf975c',
  '#0e7f9d': '#00afd8',
  '#af5b6b': '#cf8793',
  '#00864b': '#51b67a',
  '#8367ae': '#a891ce',
  '#916f00': '#c1982a',
  '#157da9': '#62a8ce',
};

/** Label text on a palette color: white in the light theme, near-black on the dark variants. */
export const PALETTE_INK = { light: '#ffffff', dark: '#11131a' } as const;
