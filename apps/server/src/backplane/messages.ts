import {
  RelayedMessageSchema,
  ResumeTokenSchema,
  RoomSchema,
  UserIdSchema,
  UserStateSchema,
} from '@cursorline/protocol';
import { z } from 'zod';

/**
 * The node-to-node protocol ("Backplane protocol, version 1" in PROTOCOL.md), defined once as
 * schemas like the client protocol. Redis is a trust boundary too: another node may run an older
 * or newer build, a bug may publish garbage, and anyone with access to Redis can publish. So a
 * node checks every message it reads from Redis and drops what it cannot trust, rather than
 * casting `JSON.parse(...)` to a type and letting a malformed event reach its users.
 *
 * Each message is an envelope `{ v, ... }`: a node drops (and counts) the messages of a version
 * it does not speak, so two builds side by side during a rolling deploy ignore each other's new
 * messages instead of misreading them.
 */
export const BACKPLANE_VERSION = 1;

const NodeId = z.string().min(1).max(64);

/** What nodes tell each other about a room, on the room's channel. */
export const RoomEventSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('join'), user: UserStateSchema }),
  z.object({ t: z.literal('leave'), id: UserIdSchema }),
  /** A user's name, state, pointer or view changed: their whole state, so applying it twice is harmless. */
  z.object({ t: z.literal('update'), user: UserStateSchema }),
  z.object({ t: z.literal('relay'), id: UserIdSchema, msg: RelayedMessageSchema }),
  /** This node's users' moves of one tick (encodeBatchText; the room decodes it, and skips a bad one). */
  z.object({ t: z.literal('cursors'), batch: z.string() }),
  /** "I now have users in this room: please tell me yours." */
  z.object({ t: z.literal('hello') }),
  /** All of this node's users in the room: the others replace what they had from it. */
  z.object({ t: z.literal('members'), users: z.array(UserStateSchema) }),
  /** A dropped user of node `from` resumed on the sender: same user, now the sender's. */
  z.object({ t: z.literal('adopt'), user: UserStateSchema, from: NodeId }),
]);
export type RoomEvent = z.infer<typeof RoomEventSchema>;

/**
 * What one node asks of all the others, whatever rooms they serve: a goodbye beacon (POST /leave)
 * that reached a node not holding the seat.
 */
export const NodeEventSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('leave'), token: ResumeTokenSchema }),
]);
export type NodeEvent = z.infer<typeof NodeEventSchema>;

/** A dropped user's seat, kept where every node can find it while it may resume. */
export const HeldSeatSchema = z.object({
  room: RoomSchema,
  user: UserStateSchema,
  /** The node that held it. */
  node: NodeId,
});
export type HeldSeat = z.infer<typeof HeldSeatSchema>;

/** Why a message was not delivered: a version we do not speak, or not a valid message at all. */
export type Rejection = 'version' | 'malformed';

export type Decoded<T> = { ok: true; value: T } | { ok: false; why: Rejection; v?: unknown };

/** The envelope as it goes on the wire (after the sender's node id, for room and node events). */
export function encodeEnvelope(body: RoomEvent | NodeEvent | HeldSeat): string {
  return JSON.stringify({ v: BACKPLANE_VERSION, body });
}

/** Reads an envelope: checks the version first (so a newer message is not called malformed). */
export function decodeEnvelope<T>(raw: string, schema: z.ZodType<T>): Decoded<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, why: 'malformed' };
  }
  if (typeof parsed !== 'object' || parsed === null || !('v' in parsed)) {
    return { ok: false, why: 'malformed' };
  }
  if (parsed.v !== BACKPLANE_VERSION) return { ok: false, why: 'version', v: parsed.v };
  const body = schema.safeParse('body' in parsed ? parsed.body : undefined);
  return body.success ? { ok: true, value: body.data } : { ok: false, why: 'malformed' };
}

/** Messages a node dropped at the boundary, by reason (read by tests; worth a metric in production). */
export interface BackplaneRejections {
  version: number;
  malformed: number;
}

/**
 * Where a node reads what other nodes sent: decodes, counts what it drops, and says so in the log
 * once per reason (a node of another version publishes all the time; one line is enough to
 * notice a deploy gone wrong without flooding the log).
 */
export class Inbox {
  readonly rejected: BackplaneRejections = { version: 0, malformed: 0 };
  private readonly warned = new Set<Rejection>();

  constructor(private readonly warn: (why: Rejection, v: unknown) => void = () => {}) {}

  roomEvent(raw: string): RoomEvent | undefined {
    return this.read(raw, RoomEventSchema);
  }

  nodeEvent(raw: string): NodeEvent | undefined {
    return this.read(raw, NodeEventSchema);
  }

  heldSeat(raw: string): HeldSeat | undefined {
    return this.read(raw, HeldSeatSchema);
  }

  private read<T>(raw: string, schema: z.ZodType<T>): T | undefined {
    const decoded = decodeEnvelope(raw, schema);
    if (decoded.ok) return decoded.value;
    this.rejected[decoded.why]++;
    if (!this.warned.has(decoded.why)) {
      this.warned.add(decoded.why);
      this.warn(decoded.why, decoded.v);
    }
    return undefined;
  }
}
