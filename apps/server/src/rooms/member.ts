import type { UserState } from '@cursorline/protocol';
import type { Connection } from '../transports/transport.ts';

/**
 * The room's record of one user: what everyone sees of them (`user`), where they are connected
 * now, and the bookkeeping the room's jobs need (backpressure, interest). The room's files share
 * this one record instead of keeping parallel maps that could disagree.
 */

/** A member's live connection: where to send, and how to end it. */
export interface Link {
  readonly connection: Connection;
  /** Ends the connection (the session then takes the member out of the room at once). */
  readonly kick: (code: number, reason: string) => void;
}

export interface Member {
  /** Everything others see of this user; sent as is in snapshots. */
  readonly user: UserState;
  /**
   * The node this user is connected to, or null for a user of this node. Only remote-users.ts
   * changes it (it changes on a resume elsewhere).
   */
  remote: string | null;
  /** null for a remote user, or while a local user's connection is gone and may resume. */
  link: Link | null;
  /** When it first went over the soft buffer limit, if it still is. */
  behindSince: number | undefined;
  /** Whom this (local) user follows: their cursor comes at full rate. */
  follow: number | null;
  /** Activity, for interest (monotonic ms): last move, start of the current streak, last chat. */
  lastMoveAt: number;
  activeSince: number;
  hotUntil: number;
  /** The room's move counter at this user's last move: the low rate sends who moved since a mark. */
  movedSeq: number;
}

export const newMember = (user: UserState, remote: string | null, link: Link | null): Member => ({
  user,
  remote,
  link,
  behindSince: undefined,
  follow: null,
  lastMoveAt: Number.NEGATIVE_INFINITY,
  activeSince: 0,
  hotUntil: 0,
  movedSeq: 0,
});
