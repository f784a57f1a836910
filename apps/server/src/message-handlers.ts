import {
  type ClientMessage,
  CloseCode,
  type RelayedMessage,
  ROSTER_PAGE_USERS,
  type ServerJson,
} from '@cursorline/protocol';
import type { Member } from './rooms/member.ts';
import type { Room } from './rooms/room.ts';

/**
 * What the server does with each client message once its sender is in a room: one entry per
 * message type, checked by the compiler. Adding a message type to the protocol's
 * `ClientJsonSchema` without an entry here fails to compile (`satisfies` below), so no message
 * can be validated and then silently dropped.
 *
 * A handler sees its sender's seat and three ways to answer. Limits are not a handler's concern:
 * the session applies the protocol's `MESSAGE_RATES` before the handler runs.
 */
export interface Act {
  readonly room: Room;
  readonly member: Member;
  /** A message to this connection only. */
  reply(msg: ServerJson): void;
  /** A goodbye: the user leaves at once and the connection closes normally. */
  leave(): void;
  /** Ends the connection with a close code and a fixed reason (never the client's input). */
  refuse(code: number, reason: string): void;
}

export type Handler<T extends ClientMessage['t']> = (
  act: Act,
  msg: Extract<ClientMessage, { t: T }>,
) => void;

/** Moments rather than state (chat, reactions, …): to everyone else as they are, nothing kept. */
const relay = ({ room, member }: Act, msg: RelayedMessage) => room.relay(member, msg);

export const handlers = {
  hello: ({ refuse }) => refuse(CloseCode.PolicyViolation, 'hello sent twice'),
  cursor: ({ room, member }, msg) => room.move(member, msg.at),
  name: ({ room, member }, msg) => room.rename(member, msg.name),
  state: ({ room, member }, msg) => room.setState(member, msg.state),
  pointer: ({ room, member }, msg) =>
    room.setPointer(member, { kind: msg.kind, pressed: msg.pressed }),
  view: ({ room, member }, msg) => room.setView(member, msg.view),
  chat: relay,
  react: relay,
  ping: relay,
  follow: ({ room, member }, msg) => room.follow(member, msg.id),
  who: ({ room, reply }, msg) => reply(room.roster(msg.ids, msg.after, ROSTER_PAGE_USERS)),
  bye: ({ leave }) => leave(),
} satisfies { [T in ClientMessage['t']]: Handler<T> };

/** Runs the message's handler (the one place that looks a handler up by type). */
export function handle(act: Act, msg: ClientMessage): void {
  // The table is exhaustive and keyed by type, so handlers[msg.t] takes exactly this msg; the
  // compiler cannot follow that correlation through a union, hence the one cast.
  (handlers[msg.t] as Handler<ClientMessage['t']>)(act, msg);
}
