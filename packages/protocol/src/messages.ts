import { z } from 'zod';
import { BOARD_HEIGHT, BOARD_WIDTH, LIMITS, REACTIONS } from './constants.ts';
import { codePointLength, normalizeText, unsafeReason } from './identity.ts';
import type { Rate } from './token-bucket.ts';

/**
 * The JSON messages, defined once as schemas; the TypeScript types are inferred from them, so the
 * validation and the types cannot drift apart. Cursor moves and cursor batches travel in a compact
 * form instead (see compact.ts) because they are most of the traffic.
 */

/**
 * Names and chat text: normalised (NFKC, whitespace runs one space, trimmed; see identity.ts),
 * then refused when they carry control, format or invisible characters, line separators,
 * private-use or unassigned code points, or piled-up combining marks. Limits count code points.
 */
const textSchema = (what: string, min: number, max: number) =>
  z
    .string()
    .overwrite(normalizeText)
    .refine((s) => codePointLength(s) >= min, `${what} is empty`)
    .refine((s) => codePointLength(s) <= max, `${what} is longer than ${max} characters`)
    .superRefine((s, ctx) => {
      const reason = unsafeReason(s);
      if (reason) ctx.addIssue({ code: 'custom', message: `${what} ${reason}` });
    });

export const NameSchema = textSchema('name', 1, LIMITS.nameMaxLength);

/**
 * The same text as the server relays it (already normalised), checked by the receiving client
 * with one allowance: characters its engine does not know yet pass. A name with a character from
 * a newer Unicode than an old browser's must not make that browser refuse the server's frames
 * (and so reconnect forever).
 */
const relayedText = (what: string, min: number, max: number) =>
  z
    .string()
    .refine((s) => codePointLength(s) >= min && codePointLength(s) <= max, `${what} length`)
    .refine((s) => unsafeReason(s, { allowUnassigned: true }) === null, `${what} is unsafe`);
const RelayedNameSchema = relayedText('name', 1, LIMITS.nameMaxLength);
const RelayedChatSchema = relayedText('chat', 0, LIMITS.chatMaxLength);

/** Cursor chat: short, same normalisation and character rules as names. Empty clears the bubble. */
export const ChatTextSchema = textSchema('chat', 0, LIMITS.chatMaxLength);

export const RoomSchema = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_-]{1,${LIMITS.roomMaxLength}}$`),
    'room must be 1-64 letters, digits, - or _',
  );

export const PointSchema = z.object({
  x: z.number().int().min(0).max(BOARD_WIDTH),
  y: z.number().int().min(0).max(BOARD_HEIGHT),
});
export type Point = z.infer<typeof PointSchema>;

/** The part of the board a user has on screen (board units), for follow mode. */
export const ViewSchema = z
  .object({
    x: z.number().int().min(0).max(BOARD_WIDTH),
    y: z.number().int().min(0).max(BOARD_HEIGHT),
    w: z.number().int().min(0).max(BOARD_WIDTH),
    h: z.number().int().min(0).max(BOARD_HEIGHT),
  })
  .refine((v) => v.x + v.w <= BOARD_WIDTH && v.y + v.h <= BOARD_HEIGHT, 'view is off the board');
export type View = z.infer<typeof ViewSchema>;

/** What the user points with, and whether it is pressed (a finger down, a pen touching). */
export const PointerSchema = z.object({
  kind: z.enum(['mouse', 'touch', 'pen']),
  pressed: z.boolean(),
});
export type Pointer = z.infer<typeof PointerSchema>;

/** active: using the page; idle: no input for a while; away: tab hidden. */
export const ActivitySchema = z.enum(['active', 'idle', 'away']);
export type Activity = z.infer<typeof ActivitySchema>;
/** What others see: the above, or offline while the server waits for a dropped user to resume. */
export const PresenceStateSchema = z.enum(['active', 'idle', 'away', 'offline']);
export type PresenceState = z.infer<typeof PresenceStateSchema>;

export const ReactionSchema = z.enum(REACTIONS);
export type Reaction = z.infer<typeof ReactionSchema>;

/** Handed out in welcome; presenting it in a later hello resumes the same user. */
export const ResumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'malformed resume token');

/** A user's id: chosen by the server, random, unique across nodes; 0 is never an id. */
export const UserIdSchema = z.number().int().min(1).max(0xffffffff);

/** A user as everyone sees them. The server assigns id and color; clients cannot choose them. */
export const UserSchema = z.object({
  id: UserIdSchema,
  name: RelayedNameSchema,
  color: z.string().regex(/^#[0-9a-f]{6}$/),
});
export type User = z.infer<typeof UserSchema>;

// ---- client → server -------------------------------------------------------------------------

export const HelloSchema = z.object({
  t: z.literal('hello'),
  v: z.number().int(),
  room: RoomSchema,
  name: NameSchema,
  resume: ResumeTokenSchema.optional(),
});
export type Hello = z.infer<typeof HelloSchema>;

export const SetNameSchema = z.object({ t: z.literal('name'), name: NameSchema });
export const SetActivitySchema = z.object({ t: z.literal('state'), state: ActivitySchema });
export const SetPointerSchema = PointerSchema.extend({ t: z.literal('pointer') });
export const SetViewSchema = z.object({ t: z.literal('view'), view: ViewSchema });
export const SendChatSchema = z.object({ t: z.literal('chat'), text: ChatTextSchema });
export const SendReactionSchema = z.object({ t: z.literal('react'), emoji: ReactionSchema });
/** "Look here": a ring at a point of the board, in the sender's colour, for everyone (Alt+click). */
export const SendPingSchema = z.object({ t: z.literal('ping'), at: PointSchema });
/** Leaving on purpose (tab closed, page left): remove me now, do not wait for me to resume. */
export const ByeSchema = z.object({ t: z.literal('bye') });
/**
 * "I am following this user" (null: nobody). The server then sends that user's cursor at full
 * rate whatever else is going on in the room (see PROTOCOL.md, interest).
 */
export const FollowSchema = z.object({
  t: z.literal('follow'),
  id: UserIdSchema.nullable(),
});
/** Most users a `who` may ask about by id, and most a roster page holds. */
export const WHO_MAX_IDS = 100;
export const ROSTER_PAGE_USERS = 100;
/**
 * Asks for users the snapshot did not list in full (big rooms): by id (e.g. a cursor arrived
 * from someone unknown), or the next page of the room in id order after `after`.
 */
export const WhoSchema = z.object({
  t: z.literal('who'),
  ids: z.array(UserIdSchema).max(WHO_MAX_IDS).optional(),
  after: z.number().int().min(0).max(0xffffffff).optional(),
});

/**
 * Messages the server relays to everyone else as they are (plus the sender's id), and keeps no
 * state of: moments, not state. A new relayed message needs its schema here, its relayed form
 * (with `id`) in ServerJsonSchema below, perhaps a limit in MESSAGE_RATES, and one entry in the
 * server's handler table (apps/server/src/message-handlers.ts); nothing in the room. Forgetting
 * the relayed form or the handler fails to compile.
 */
export const RELAYED_SCHEMAS = [SendChatSchema, SendReactionSchema, SendPingSchema] as const;
export const RelayedMessageSchema = z.discriminatedUnion('t', RELAYED_SCHEMAS);
export type RelayedMessage = z.infer<typeof RelayedMessageSchema>;
export type RelayedType = RelayedMessage['t'];

export const ClientJsonSchema = z.discriminatedUnion('t', [
  HelloSchema,
  SetNameSchema,
  SetActivitySchema,
  SetPointerSchema,
  SetViewSchema,
  ...RELAYED_SCHEMAS,
  ByeSchema,
  FollowSchema,
  WhoSchema,
]);
export type ClientJson = z.infer<typeof ClientJsonSchema>;

/**
 * A per-message limit. Over it, `drop` ignores the message (the client is not punished; it is a
 * person clicking fast), `apply` still applies it (latest wins and costs one frame per tick
 * anyway) and only a client that keeps going past a whole burst is closed with 4005.
 */
export interface MessageRate extends Rate {
  readonly over: 'drop' | 'apply';
}

/**
 * Presence writes share one limit: a client that writes its name, state, pointer and view in a
 * loop is one loop. The server's `PRESENCE_RATE` / `PRESENCE_BURST` override these defaults.
 */
export const PRESENCE_WRITE_RATE: MessageRate = { perSec: 20, burst: 40, over: 'apply' };

/**
 * The per-message limits, defined once: the server enforces them (one bucket per distinct entry,
 * so the presence writes, which share one object, share one bucket), PROTOCOL.md's table is
 * checked against them, and the page paces itself under them. Every message also counts against
 * the connection's overall limit (`RATE_LIMIT`, PROTOCOL.md).
 */
export const MESSAGE_RATES = {
  name: PRESENCE_WRITE_RATE,
  state: PRESENCE_WRITE_RATE,
  pointer: PRESENCE_WRITE_RATE,
  view: PRESENCE_WRITE_RATE,
  /** Chat and reactions are for people, not scripts: a few a second is plenty. */
  chat: { perSec: 2, burst: 5, over: 'drop' },
  react: { perSec: 5, burst: 10, over: 'drop' },
  /** A ring says "look here": a couple a second is all anyone can follow. */
  ping: { perSec: 2, burst: 4, over: 'drop' },
  /** A `who` answer costs a sort of the room: a page a second is plenty for a scrolling list. */
  who: { perSec: 2, burst: 5, over: 'drop' },
} as const satisfies { readonly [T in ClientJson['t']]?: MessageRate };
export type RateLimitedType = keyof typeof MESSAGE_RATES;

/** The limit of one client message type, if it has one of its own. */
export const rateOf = (t: ClientMessage['t']): MessageRate | undefined =>
  (MESSAGE_RATES as { readonly [T in ClientMessage['t']]?: MessageRate })[t];

/** A cursor move (compact on the wire). `at: null` means the cursor left the board. */
export interface CursorMove {
  t: 'cursor';
  at: Point | null;
}
export type ClientMessage = ClientJson | CursorMove;

// ---- server → client -------------------------------------------------------------------------

/** Everything others know about a user: identity plus live state. */
export const UserStateSchema = UserSchema.extend({
  at: PointSchema.nullable(),
  state: PresenceStateSchema,
  pointer: PointerSchema,
  view: ViewSchema.nullable(),
  /** Present (true) only for the server's own ambient users in demo mode; no client can claim it. */
  bot: z.literal(true).optional(),
});
export type UserState = z.infer<typeof UserStateSchema>;

/** The answer to hello: who you are and a snapshot of everyone already here, still or moving. */
export const WelcomeSchema = z.object({
  t: z.literal('welcome'),
  v: z.number().int(),
  room: RoomSchema,
  self: UserSchema,
  /**
   * Everyone already here, or in a big room the most recently active of them (bounded, see
   * PROTOCOL.md); `count` is how many others there are in all, listed or not.
   */
  users: z.array(UserStateSchema),
  count: z.number().int().min(0),
  /** Present it in the next hello to come back as the same user after a drop. */
  resume: ResumeTokenSchema,
  /** True when this connection resumed an earlier one (same id; others saw no leave). */
  resumed: z.boolean(),
});
export const ChatSchema = z.object({
  t: z.literal('chat'),
  id: UserIdSchema,
  text: RelayedChatSchema,
});
export const ReactSchema = z.object({
  t: z.literal('react'),
  id: UserIdSchema,
  emoji: ReactionSchema,
});
export const PingSchema = SendPingSchema.extend({ id: UserIdSchema });
/**
 * What changed about users since the last tick, one entry per user with only the fields that
 * changed (latest wins). Presence writes, joins and leaves are coalesced into this instead of
 * being broadcast one by one, so a user renaming in a loop costs the room one frame per tick, not
 * one per rename, and 10,000 arrivals cost each recipient one frame per tick, not 10,000.
 */
export const UserChangeSchema = z.object({
  id: UserIdSchema,
  name: RelayedNameSchema.optional(),
  state: PresenceStateSchema.optional(),
  pointer: PointerSchema.optional(),
  view: ViewSchema.optional(),
});
export type UserChange = z.infer<typeof UserChangeSchema>;
export const ChangesSchema = z.object({
  t: z.literal('changes'),
  users: z.array(UserChangeSchema),
  /** Users who arrived (in full). In a big room only some are listed; `count` says how many in all. */
  joined: z.array(UserStateSchema).optional(),
  left: z.array(UserIdSchema).optional(),
  /** How many users the room has now (sent when it changed), listed or not. */
  count: z.number().int().min(0).optional(),
});
/** The answer to `who`: the users asked for, and where the next page starts (null: no more). */
export const RosterSchema = z.object({
  t: z.literal('roster'),
  users: z.array(UserStateSchema),
  next: z.number().int().min(0).nullable(),
  count: z.number().int().min(0),
});

export const ServerJsonSchema = z.discriminatedUnion('t', [
  WelcomeSchema,
  ChatSchema,
  ReactSchema,
  PingSchema,
  ChangesSchema,
  RosterSchema,
]);
export type ServerJson = z.infer<typeof ServerJsonSchema>;
export type Welcome = z.infer<typeof WelcomeSchema>;

/** One user's newest position in a batch; `at: null` hides that user's cursor. */
export interface CursorUpdate {
  id: number;
  at: Point | null;
}
/** All cursor changes of one server tick (compact on the wire). */
export interface CursorBatch {
  t: 'cursors';
  moves: CursorUpdate[];
}
export type ServerMessage = ServerJson | CursorBatch;

export const CLIENT_JSON_TYPES: ReadonlySet<string> = new Set(
  ClientJsonSchema.options.map((o) => o.shape.t.value),
);
