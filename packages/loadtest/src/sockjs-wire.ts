/**
 * The SockJS framing a client sees over SockJS's WebSocket transport, written out by hand.
 *
 * The benchmark's SockJS users speak it over the `ws` library instead of through sockjs-client:
 * the bytes on the wire are the same as sockjs-client's websocket transport sends and receives,
 * but the load generator skips sockjs-client's per-message work (faye-websocket, JSON parsing of
 * every frame, event objects), which one process cannot afford for 500 users.
 *
 * Server → client: "o" open, "h" heartbeat, "a[...]" a JSON array of messages,
 * "c[code,\"reason\"]" close. Client → server: a JSON array of messages.
 */
import { BATCH_ENTRY_CHARS, TRANSPORTS } from '@cursorline/protocol';
import type { Random } from './rng.ts';

export type SockjsFrame =
  | { kind: 'open' }
  | { kind: 'heartbeat' }
  | { kind: 'messages'; messages: string[] }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'invalid' };

/** ws://host/sockjs/<server>/<session>/websocket, with random ids like sockjs-client uses. */
export function sockjsWebSocketUrl(httpBase: string, random: Random): string {
  const base = httpBase.replace(/\/$/, '').replace(/^http/, 'ws');
  const server = String(Math.floor(random() * 1000)).padStart(3, '0');
  let session = '';
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < 8; i++) session += chars[Math.floor(random() * chars.length)];
  return `${base}${TRANSPORTS.sockjs.path}/${server}/${session}/websocket`;
}

export function encodeSockjsMessages(messages: readonly string[]): string {
  return JSON.stringify(messages);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function parseSockjsFrame(frame: string): SockjsFrame {
  const type = frame[0];
  if (type === 'o' && frame.length === 1) return { kind: 'open' };
  if (type === 'h' && frame.length === 1) return { kind: 'heartbeat' };
  try {
    const body: unknown = JSON.parse(frame.slice(1));
    if (type === 'a' && isStringArray(body)) return { kind: 'messages', messages: body };
    if (type === 'c' && Array.isArray(body) && typeof body[0] === 'number') {
      return { kind: 'close', code: body[0], reason: String(body[1] ?? '') };
    }
  } catch {
    // fall through: not a frame we understand
  }
  return { kind: 'invalid' };
}

const A = 0x61; // 'a'
const QUOTE = 0x22; // '"'
const BATCH = 0x43; // 'C', a text cursor batch

/**
 * Cursor updates in a frame holding exactly one text batch (`a["C…"]`), counted from its length
 * alone; undefined for any other frame. Base64url digits need no JSON escaping, so such a frame
 * is always 6 + 12 × n bytes. Lets most users count what they receive without decoding it.
 */
export function countSingleBatch(frame: Uint8Array): number | undefined {
  const n = frame.length - 6;
  if (n <= 0 || n % BATCH_ENTRY_CHARS !== 0) return undefined;
  if (frame[0] !== A || frame[2] !== QUOTE || frame[3] !== BATCH) return undefined;
  return n / BATCH_ENTRY_CHARS;
}
