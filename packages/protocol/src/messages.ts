import { z } from 'zod';
import { BOARD_HEIGHT, BOARD_WIDTH, LIMITS, REACTIONS } from './constants.ts';

/**
 * The JSON messages, defined once as schemas; the TypeScript types are inferred from them, so the
 * validation and the types cannot drift apart. Cursor moves and cursor batches travel in a compact
 * form instead (see compact.ts) because they are most of the traffic.
 */

// Control characters and bidi overrides would let a name spoof or garble other users' screens.
const UNSAFE_CHARS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export const NameSchema = z
  .string()
  .trim()
  .min(1, 'name is empty')
  .max(LIMITS.nameMaxLength, `name is longer than ${LIMITS.nameMaxLength} characters`)
  .refine((s) => !UNSAFE_CHARS.test(s), 'name contains control characters');

/** Cursor chat: short, trimmed, same character rules as names. Empty clears the bubble. */
export const ChatTextSchema = z
  .string()
  .trim()
  .max(LIMITS.chatMaxLength, `chat is longer than ${LIMITS.chatMaxLength} characters`)
  .refine((s) => !UNSAFE_CHARS.test(s), 'chat contains control characters');

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
/** What others see: the above, or offline while the server waits for a dropped user to resume. */
export const PresenceStateSchema = z.enum(['active', 'idle', 'away', 'offline']);
export type PresenceState = z.infer<typeof PresenceStateSchema>;

export const ReactionSchema = z.enum(REACTIONS);
export type Reaction = z.infer<typeof ReactionSchema>;

/** Handed out in welcome; presenting it in a later hello resumes the same user. */
export const ResumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'malformed resume token');

/** A user as everyone sees them. The server assigns id and color; clients cannot choose them. */
export const UserSchema = z.object({
  id: z.number().int().min(1).max(0xffffffff),
  name: NameSchema,
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
/** Leaving on purpose (tab closed, page left): remove me now, do not wait for me to resume. */
export const ByeSchema = z.object({ t: z.literal('bye') });

export const ClientJsonSchema = z.discriminatedUnion('t', [
  HelloSchema,
  SetNameSchema,
  SetActivitySchema,
  SetPointerSchema,
  SetViewSchema,
  SendChatSchema,
  SendReactionSchema,
  ByeSchema,
]);
export type ClientJson = z.infer<typeof ClientJsonSchema>;

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
  users: z.array(UserStateSchema),
  /** Present it in the next hello to come back as the same user after a drop. */
  resume: ResumeTokenSchema,
  /** True when this connection resumed an earlier one (same id; others saw no leave). */
  resumed: z.boolean(),
});
export const JoinSchema = z.object({ t: z.literal('join'), user: UserStateSchema });
export const LeaveSchema = z.object({ t: z.literal('leave'), id: UserSchema.shape.id });
const Id = UserSchema.shape.id;
export const RenameSchema = z.object({ t: z.literal('rename'), id: Id, name: NameSchema });
export const StateSchema = z.object({ t: z.literal('state'), id: Id, state: PresenceStateSchema });
export const PointerChangeSchema = PointerSchema.extend({ t: z.literal('pointer'), id: Id });
export const ViewChangeSchema = z.object({ t: z.literal('view'), id: Id, view: ViewSchema });
export const ChatSchema = z.object({ t: z.literal('chat'), id: Id, text: ChatTextSchema });
export const ReactSchema = z.object({ t: z.literal('react'), id: Id, emoji: ReactionSchema });

export const ServerJsonSchema = z.discriminatedUnion('t', [
  WelcomeSchema,
  JoinSchema,
  LeaveSchema,
  RenameSchema,
  StateSchema,
  PointerChangeSchema,
  ViewChangeSchema,
  ChatSchema,
  ReactSchema,
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
