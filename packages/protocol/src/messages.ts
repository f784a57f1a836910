import { z } from 'zod';
import { BOARD_HEIGHT, BOARD_WIDTH, LIMITS } from './constants.ts';

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
});
export type Hello = z.infer<typeof HelloSchema>;

export const SetNameSchema = z.object({ t: z.literal('name'), name: NameSchema });
export type SetName = z.infer<typeof SetNameSchema>;

export const ClientJsonSchema = z.discriminatedUnion('t', [HelloSchema, SetNameSchema]);
export type ClientJson = z.infer<typeof ClientJsonSchema>;

/** A cursor move (compact on the wire). `at: null` means the cursor left the board. */
export interface CursorMove {
  t: 'cursor';
  at: Point | null;
}
export type ClientMessage = ClientJson | CursorMove;

// ---- server → client -------------------------------------------------------------------------

export const UserStateSchema = UserSchema.extend({ at: PointSchema.nullable() });
export type UserState = z.infer<typeof UserStateSchema>;

/** The answer to hello: who you are and a snapshot of everyone already here, still or moving. */
export const WelcomeSchema = z.object({
  t: z.literal('welcome'),
  v: z.number().int(),
  room: RoomSchema,
  self: UserSchema,
  users: z.array(UserStateSchema),
});
export const JoinSchema = z.object({ t: z.literal('join'), user: UserStateSchema });
export const LeaveSchema = z.object({ t: z.literal('leave'), id: UserSchema.shape.id });
export const RenameSchema = z.object({
  t: z.literal('rename'),
  id: UserSchema.shape.id,
  name: NameSchema,
});

export const ServerJsonSchema = z.discriminatedUnion('t', [
  WelcomeSchema,
  JoinSchema,
  LeaveSchema,
  RenameSchema,
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

export const CLIENT_JSON_TYPES: ReadonlySet<string> = new Set(['hello', 'name']);
