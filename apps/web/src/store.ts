import type { Status } from '@cursorline/client';
import type { User } from '@cursorline/protocol';
import { create } from 'zustand';

/**
 * What React renders: connection status and who is here. Cursor positions are deliberately not
 * in here: they change 25 times a second per user, and the presence list and status badge have
 * no reason to re-render for them (see cursors.ts for where they go instead).
 */
export interface PresenceState {
  status: Status;
  /** e.g. "ws" or "sockjs/xhr-polling"; empty while not connected. */
  transport: string;
  /** Why the connection closed, when the status is the result of a disconnect. */
  closeCode: number | null;
  closeReason: string;
  /** While reconnecting: when the next attempt starts (a Date.now() time), for a countdown. */
  retryAt: number | null;
  self: User | null;
  /** Everyone else, in the order they arrived. */
  users: User[];
}

export const usePresence = create<PresenceState>()(() => ({
  status: 'connecting',
  transport: '',
  closeCode: null,
  closeReason: '',
  retryAt: null,
  self: null,
  users: [],
}));
