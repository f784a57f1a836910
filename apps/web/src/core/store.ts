import type { Activity, Status, StatusDetail } from '@cursorline/client';
import type { Point, PresenceState, User, UserState } from '@cursorline/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';

/** A user as the page lists them: identity and whether they are active, idle, away or offline. */
export interface ListedUser extends User {
  state: PresenceState;
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
 * for them (see core/cursor/cursors.ts, and the reactions, follow and offscreen features, for
 * where they go instead).
 */
export interface PageState {
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
   * (see disambiguate in the protocol package). Kept in step with self and users by page.ts.
   */
  labels: ReadonlyMap<number, string>;
  /** The user whose view we follow, if any (features/follow). */
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

const initialState = (): PageState => ({
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
});

// The store needs fresh objects to notice changes, and has no use for the fast-changing parts
// of a user (position, pointer, view).
const toUser = ({ id, name, color }: User): User => ({ id, name, color });
const toListed = ({ id, name, color, state, bot }: UserState): ListedUser => ({
  id,
  name,
  color,
  state,
  ...(bot ? { bot } : {}),
});

/**
 * The page's state and every way it changes. Each change is a named action, said in the words
 * of what happened ("a user joined", "the chat opened"): the one place that writes the state is
 * this file, so reading the actions is reading everything that can happen to the page.
 */
function actionsOf(store: StoreApi<PageState>) {
  const set = store.setState;
  let announced = 0;
  return {
    statusChanged(status: Status, detail: StatusDetail): void {
      set({
        status,
        transport: detail.transport,
        fallback: detail.fallback ?? '',
        closeCode: detail.code ?? null,
        closeReason: detail.reason ?? '',
        retryAt: detail.retryInMs === undefined ? null : Date.now() + detail.retryInMs,
      });
    },
    /** A (re)connection: who we are and exactly who is here. */
    usersWelcomed(self: User, users: readonly UserState[]): void {
      set({ self: toUser(self), users: users.map(toListed) });
    },
    userJoined(user: UserState): void {
      set((s) => ({ users: [...s.users.filter((u) => u.id !== user.id), toListed(user)] }));
    },
    userLeft(id: number): void {
      set((s) => ({ users: s.users.filter((u) => u.id !== id) }));
    },
    /** Someone else, or ourselves (the server confirms our new name). */
    userRenamed(id: number, name: string): void {
      set((s) => ({
        self: s.self?.id === id ? { ...s.self, name } : s.self,
        users: s.users.map((u) => (u.id === id ? { ...u, name } : u)),
      }));
    },
    userPresenceChanged(id: number, state: PresenceState): void {
      set((s) => ({ users: s.users.map((u) => (u.id === id ? { ...u, state } : u)) }));
    },
    labelsChanged(labels: ReadonlyMap<number, string>): void {
      set({ labels });
    },
    /** What we now tell the others about ourselves. */
    activityChanged(selfState: Activity): void {
      if (store.getState().selfState !== selfState) set({ selfState });
    },
    followStarted(id: number): void {
      set({ following: id, followNotice: null });
    },
    /** Following ended; `notice` says why when it ended on its own. */
    followStopped(notice: string | null): void {
      set({ following: null, followNotice: notice });
    },
    followNoticeExpired(): void {
      set({ followNotice: null });
    },
    chatOpened(at: Point): void {
      set({ chatAt: at });
    },
    chatClosed(): void {
      set({ chatAt: null });
    },
    /** Hiding the cursor closes the chat too: it would appear at a cursor nobody sees. */
    cursorHiddenChanged(hidden: boolean): void {
      set({ cursorHidden: hidden, chatAt: null });
    },
    reactionRefused(at: number): void {
      set({ reactionRefusedAt: at });
    },
    reactionRefusalExpired(): void {
      set({ reactionRefusedAt: null });
    },
    /** Says something to screen-reader users (polite: after what they are hearing now). */
    announced(text: string): void {
      set((s) => ({
        announcements: [...s.announcements.slice(-2), { id: ++announced, text }],
      }));
    },
  };
}

export type PageActions = ReturnType<typeof actionsOf>;

/** Read-only to everyone but this file: subscribe and read, change through `actions`. */
export interface PageStore extends Omit<StoreApi<PageState>, 'setState'> {
  readonly actions: PageActions;
  /** The name of someone in the room (or ourselves), for messages. */
  nameOf(id: number): string | undefined;
}

export function createPageStore(initial: Partial<PageState> = {}): PageStore {
  const store = createStore<PageState>()(() => ({ ...initialState(), ...initial }));
  return {
    getState: store.getState,
    getInitialState: store.getInitialState,
    subscribe: store.subscribe,
    actions: actionsOf(store),
    nameOf(id) {
      const { self, users } = store.getState();
      return self?.id === id ? self.name : users.find((u) => u.id === id)?.name;
    },
  };
}
