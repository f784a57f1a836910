import type { z } from 'zod';
import {
  decodeBatchBinary,
  decodeBatchText,
  decodeMoveBinary,
  decodeMoveText,
  TEXT_BATCH,
  TEXT_MOVE,
} from './compact.ts';
import { CloseCode } from './constants.ts';
import {
  CLIENT_JSON_TYPES,
  type ClientJson,
  ClientJsonSchema,
  type ClientMessage,
  type ServerJson,
  ServerJsonSchema,
  type ServerMessage,
} from './messages.ts';

/**
 * The one place where bytes from the network become typed messages. Nothing else parses input.
 * A frame is a string (text frame, the only kind SockJS has) or bytes (a binary ws frame).
 */
export type Frame = string | Uint8Array<ArrayBuffer>;

/** A decoded message, or why the frame was refused and which close code says so. */
export type Decoded<M> = { ok: true; msg: M } | { ok: false; code: CloseCode; reason: string };

const invalid = (reason: string) => ({ ok: false, code: CloseCode.InvalidData, reason }) as const;
const policy = (reason: string) =>
  ({ ok: false, code: CloseCode.PolicyViolation, reason }) as const;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Close reasons must fit in a control frame (123 bytes); keep them short and ASCII. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') || 'message';
  return `invalid ${path}: ${issue?.message ?? 'schema'}`.slice(0, 100);
}

export function decodeClientFrame(frame: Frame): Decoded<ClientMessage> {
  if (typeof frame !== 'string') {
    const at = decodeMoveBinary(frame);
    return at === undefined
      ? invalid('malformed binary frame')
      : { ok: true, msg: { t: 'cursor', at } };
  }
  if (frame[0] === TEXT_MOVE) {
    const at = decodeMoveText(frame);
    return at === undefined
      ? invalid('malformed cursor frame')
      : { ok: true, msg: { t: 'cursor', at } };
  }
  const json = parseJson(frame);
  if (json === undefined) return invalid('not JSON');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return policy('message must be a JSON object');
  }
  const type = (json as { t?: unknown }).t;
  if (typeof type !== 'string' || !CLIENT_JSON_TYPES.has(type)) {
    // Never echo the client's text in a reason: it could be anything, of any length.
    return policy('unknown message type');
  }
  const parsed = ClientJsonSchema.safeParse(json);
  return parsed.success ? { ok: true, msg: parsed.data } : policy(describe(parsed.error));
}

/** Clients check what the server says too: a bug or a proxy mangling frames shows up as an error. */
export function decodeServerFrame(frame: Frame): Decoded<ServerMessage> {
  if (typeof frame !== 'string') {
    const moves = decodeBatchBinary(frame);
    return moves ? { ok: true, msg: { t: 'cursors', moves } } : invalid('malformed binary frame');
  }
  if (frame[0] === TEXT_BATCH) {
    const moves = decodeBatchText(frame);
    return moves ? { ok: true, msg: { t: 'cursors', moves } } : invalid('malformed cursor batch');
  }
  const parsed = ServerJsonSchema.safeParse(parseJson(frame));
  return parsed.success ? { ok: true, msg: parsed.data } : policy(describe(parsed.error));
}

export function encodeJson(msg: ServerJson | ClientJson): string {
  return JSON.stringify(msg);
}
