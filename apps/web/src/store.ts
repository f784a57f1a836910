import type { Activity, Status } from '@cursorline/client';
import type { Point, User, PresenceState as UserPresence } from '@cursorline/protocol';
import { create } from 'zustand';

/** A user as the page lists them: identity and whether they are active, idle, away or offline. */
export interface ListedUser extends User {
  state: UserPresence;
  /** One of the server's ambient demo users. */
  bot?: true;
}

export interface Announcement {
  /** Increasing, so the same words said twice are two entries for React and screen readers. */
  id: number;
  text: string;
}

/**
 * What React renders: connection status, who is here and the page's own UI state. Cursor
 * positions, pointers, views, chat and reactions are deliberately not in here: they arrive many
 * times a second per user, and the presence list and status badge have no reason to re-render
 * for them (see cursors.ts, bursts.ts, follow.ts and offscreen.ts for where they go instead).
 */
export interface PresenceState {
  status: Status;
  /** e.g. "ws" or "sockjs/xhr-polling"; empty while not connected. */
  transport: string;
  /** Why the automatic choice is not raw WebSocket, e.g. "WebSocket blocked"; else empty. */
  fallback: string;
  /** Why the connection closed, when the status is the result of a disconnect. */
  closeCode: number | null;
  closeReason: string;
  /** While reconnecting: when the next attempt starts (a Date.now() time), for a countdown. */
  retryAt: number | null;
  self: User | null;
  /** What we tell the others about ourselves (activity.ts decides). */
  selfState: Activity;
  /** Everyone else, in the order they arrived. */
  users: ListedUser[];
  /**
   * What to call each user on screen: the name, plus a short suffix for names that look alike
   * (see disambiguate in the protocol package). Kept in step with self and users by connection.ts.
   */
  labels: ReadonlyMap<number, string>;
  /** The user whose view we follow, if any (follow.ts). */
  following: number | null;
  /** A short message after following ended on its own ("Ada left"). */
  followNotice: string | null;
  /** Where the cursor chat input is open (board units), or null when it is closed. */
  chatAt: Point | null;
  /** "Hide my cursor" is on: we send no positions. */
  cursorHidden: boolean;
  /** Recent joins and leaves, for the screen-reader live region. */
  announcements: Announcement[];
  /** A reaction was just refused by our rate limit (a Date.now() time), for the dock to say so. */
  reactionRefusedAt: number | null;
}

export const usePresence = create<PresenceState>()(() => ({
  status: 'connecting',
  transport: '',
  fallback: '',
  closeCode: null,
  closeReason: '',
  retryAt: null,
  self: null,
  selfState: 'active',
  users: [],
  following: null,
  followNotice: null,
  chatAt: null,
  cursorHidden: false,
  announcements: [],
  labels: new Map(),
  reactionRefusedAt: null,
}));

let announced = 0;
/** Says something to screen-reader users (polite: after what they are hearing now). */
export function announce(text: string): void {
  usePresence.setState((s) => ({
    announcements: [...s.announcements.slice(-2), { id: ++announced, text }],
  }));
}

/** The name of someone in the room (or ourselves), for messages. */
export function nameOf(id: number): string | undefined {
  const { self, users } = usePresence.getState();
  return self?.id === id ? self.name : users.find((u) => u.id === id)?.name;
}
