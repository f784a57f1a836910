import { BOARD_HEIGHT, BOARD_WIDTH } from './constants.ts';
import type { CursorUpdate, Point } from './messages.ts';

/**
 * Cursor traffic is nearly all the traffic, so it gets its own small encodings instead of JSON
 * (the tutorial's `{"id":…,"x":…,"y":…}` costs ~80 bytes an update):
 *
 *   binary (raw ws)          text (SockJS is text-only)
 *   move   01 xx xx yy yy    move   "c" + x(3) + y(3)                      base64url digits
 *   batch  02 (id:u32 x:u16 y:u16)*   batch  "C" + (id(6) + x(3) + y(3))*
 *
 * All integers are big-endian / most-significant digit first. x = y = 0xFFFF means "no cursor"
 * (the pointer left the board). Every decoder checks length and ranges and returns null for a
 * frame that is not exactly right; the caller turns that into close code 1007.
 */

export const BINARY_MOVE = 0x01;
export const BINARY_BATCH = 0x02;
export const TEXT_MOVE = 'c';
export const TEXT_BATCH = 'C';
const HIDDEN = 0xffff;
/** One entry of a cursor batch: id, x, y (binary bytes; text base64url digits). */
export const BATCH_ENTRY_BYTES = 8;
export const BATCH_ENTRY_CHARS = 12;

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUE[DIGITS.charCodeAt(i)] = i;

function writeDigits(value: number, width: number): string {
  let out = '';
  for (let i = width - 1; i >= 0; i--) out += DIGITS[Math.floor(value / 64 ** i) % 64];
  return out;
}

/** Reads `width` base64url digits at `start`; -1 if any is not a digit. */
function readDigits(s: string, start: number, width: number): number {
  let value = 0;
  for (let i = start; i < start + width; i++) {
    const code = s.charCodeAt(i);
    const digit = code < 128 ? (DIGIT_VALUE[code] ?? -1) : -1;
    if (digit < 0) return -1;
    value = value * 64 + digit;
  }
  return value;
}

/** null when (x, y) is neither a board point nor the hidden marker. */
function toPoint(x: number, y: number): Point | null | undefined {
  if (x === HIDDEN && y === HIDDEN) return null;
  if (x > BOARD_WIDTH || y > BOARD_HEIGHT) return undefined;
  return { x, y };
}

// ---- one client's move -----------------------------------------------------------------------

export function encodeMoveBinary(at: Point | null): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5);
  const view = new DataView(out.buffer);
  out[0] = BINARY_MOVE;
  view.setUint16(1, at ? at.x : HIDDEN);
  view.setUint16(3, at ? at.y : HIDDEN);
  return out;
}

export function encodeMoveText(at: Point | null): string {
  return TEXT_MOVE + writeDigits(at ? at.x : HIDDEN, 3) + writeDigits(at ? at.y : HIDDEN, 3);
}

/** undefined = malformed. */
export function decodeMoveBinary(bytes: Uint8Array): Point | null | undefined {
  if (bytes.length !== 5 || bytes[0] !== BINARY_MOVE) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return toPoint(view.getUint16(1), view.getUint16(3));
}

export function decodeMoveText(s: string): Point | null | undefined {
  if (s.length !== 7 || s[0] !== TEXT_MOVE) return undefined;
  const x = readDigits(s, 1, 3);
  const y = readDigits(s, 4, 3);
  if (x < 0 || y < 0) return undefined;
  return toPoint(x, y);
}

// ---- a tick's batch of moves -----------------------------------------------------------------

export function encodeBatchBinary(moves: readonly CursorUpdate[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(1 + moves.length * BATCH_ENTRY_BYTES);
  const view = new DataView(out.buffer);
  out[0] = BINARY_BATCH;
  let o = 1;
  for (const { id, at } of moves) {
    view.setUint32(o, id);
    view.setUint16(o + 4, at ? at.x : HIDDEN);
    view.setUint16(o + 6, at ? at.y : HIDDEN);
    o += BATCH_ENTRY_BYTES;
  }
  return out;
}

export function encodeBatchText(moves: readonly CursorUpdate[]): string {
  let out = TEXT_BATCH;
  for (const { id, at } of moves) {
    out +=
      writeDigits(id, 6) + writeDigits(at ? at.x : HIDDEN, 3) + writeDigits(at ? at.y : HIDDEN, 3);
  }
  return out;
}

export function decodeBatchBinary(bytes: Uint8Array): CursorUpdate[] | undefined {
  if (bytes[0] !== BINARY_BATCH || (bytes.length - 1) % BATCH_ENTRY_BYTES !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const moves: CursorUpdate[] = [];
  for (let o = 1; o < bytes.length; o += BATCH_ENTRY_BYTES) {
    const id = view.getUint32(o);
    const at = toPoint(view.getUint16(o + 4), view.getUint16(o + 6));
    if (id === 0 || at === undefined) return undefined;
    moves.push({ id, at });
  }
  return moves;
}

export function decodeBatchText(s: string): CursorUpdate[] | undefined {
  if (s[0] !== TEXT_BATCH || (s.length - 1) % BATCH_ENTRY_CHARS !== 0) return undefined;
  const moves: CursorUpdate[] = [];
  for (let o = 1; o < s.length; o += BATCH_ENTRY_CHARS) {
    const id = readDigits(s, o, 6);
    const x = readDigits(s, o + 6, 3);
    const y = readDigits(s, o + 9, 3);
    if (id <= 0 || id > 0xffffffff || x < 0 || y < 0) return undefined;
    const at = toPoint(x, y);
    if (at === undefined) return undefined;
    moves.push({ id, at });
  }
  return moves;
}
