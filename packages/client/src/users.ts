import type {
  CursorBatch,
  CursorUpdate,
  ServerMessage,
  User,
  UserChange,
  UserState,
} from '@cursorline/protocol';

/**
 * Who the client knows is in the room: ourselves, and everyone else by id. Treated as a value:
 * applying a frame makes a new map and new user objects for what changed, and never writes
 * into the old ones. The page may keep a user object it was given (in a React store, say) and
 * trust that it still says what it said then.
 */
export interface UserMap {
  readonly self: User | null;
  readonly users: ReadonlyMap<number, UserState>;
}

export type UserChangeKind = 'name' | 'state' | 'pointer' | 'view';

/** What applying a frame means for the page, in the order it should hear it. */
export type UserEvent =
  | { type: 'join'; user: UserState }
  | { type: 'leave'; id: number; user: UserState }
  | { type: 'update'; user: UserState | User; change: UserChangeKind }
  | { type: 'cursors'; moves: readonly CursorUpdate[] };

/** The frames that change the user map; the client handles the others itself. */
export type UserFrame = Extract<ServerMessage, { t: 'welcome' | 'changes' | 'roster' | 'cursors' }>;

export interface Applied {
  map: UserMap;
  events: UserEvent[];
  /** Users now known in full or gone for good: no need to ask the server who they are. */
  settled: number[];
}

export const EMPTY_USERS: UserMap = { self: null, users: new Map() };

/**
 * Users we learn about beyond the snapshot: past this many the client stops adding people to
 * the map, so a huge room never puts thousands of people in it (or on the page); the room's
 * count and roster() tell about the rest.
 */
export const LEARN_UP_TO = 300;

/**
 * The user map after one frame from the server, and what changed. Pure: the same map and frame
 * always give the same answer, and `map` is left as it was.
 */
export function applyUserFrame(map: UserMap, frame: UserFrame, learnUpTo = LEARN_UP_TO): Applied {
  switch (frame.t) {
    case 'welcome':
      // A (re)connection: exactly the snapshot, whatever we knew before.
      return {
        map: { self: frame.self, users: new Map(frame.users.map((u) => [u.id, u])) },
        events: [],
        settled: [],
      };
    case 'changes': {
      const next = new Draft(map);
      // In a huge room the page keeps a bounded few in full; the rest is the count.
      for (const user of frame.joined ?? []) {
        if (next.users.size < learnUpTo || (frame.count ?? 0) <= learnUpTo) next.learn(user);
      }
      for (const id of frame.left ?? []) next.forget(id);
      for (const change of frame.users) next.change(change);
      return next.done();
    }
    case 'roster': {
      const next = new Draft(map);
      for (const user of frame.users) if (next.users.size < learnUpTo) next.learn(user);
      return next.done();
    }
    case 'cursors':
      return applyCursors(map, frame);
    default:
      return frame satisfies never;
  }
}

/** Other users' new positions; our own echo and people we do not know are left out. */
function applyCursors(map: UserMap, frame: CursorBatch): Applied {
  const selfId = map.self?.id;
  const moves = frame.moves.filter((m) => m.id !== selfId && map.users.has(m.id));
  if (moves.length === 0) return { map, events: [], settled: [] };
  const users = new Map(map.users);
  for (const { id, at } of moves) {
    const user = users.get(id);
    if (user) users.set(id, { ...user, at });
  }
  return { map: { self: map.self, users }, events: [{ type: 'cursors', moves }], settled: [] };
}

/** A copy of the map being changed by one frame, with the events that makes. */
class Draft {
  self: User | null;
  readonly users: Map<number, UserState>;
  readonly events: UserEvent[] = [];
  readonly settled: number[] = [];

  constructor(map: UserMap) {
    this.self = map.self;
    this.users = new Map(map.users);
  }

  /** A user we now know in full (an arrival, or one we asked about). */
  learn(user: UserState): void {
    if (user.id === this.self?.id) return;
    this.settled.push(user.id);
    const known = this.users.has(user.id);
    this.users.set(user.id, user);
    if (!known) this.events.push({ type: 'join', user });
  }

  forget(id: number): void {
    this.settled.push(id);
    const user = this.users.get(id);
    if (user && this.users.delete(id)) this.events.push({ type: 'leave', id, user });
  }

  /** One user's presence changes from a tick. Of our own, only the name is news (it confirms it). */
  change({ id, name, state, pointer, view }: UserChange): void {
    if (id === this.self?.id) {
      if (name !== undefined) {
        this.self = { ...this.self, name };
        this.events.push({ type: 'update', user: this.self, change: 'name' });
      }
      return;
    }
    const old = this.users.get(id);
    if (!old) return;
    const user: UserState = {
      ...old,
      ...(name !== undefined && { name }),
      ...(state !== undefined && { state }),
      ...(pointer !== undefined && { pointer }),
      ...(view !== undefined && { view }),
    };
    this.users.set(id, user);
    if (name !== undefined) this.events.push({ type: 'update', user, change: 'name' });
    if (state !== undefined) this.events.push({ type: 'update', user, change: 'state' });
    if (pointer !== undefined) this.events.push({ type: 'update', user, change: 'pointer' });
    if (view !== undefined) this.events.push({ type: 'update', user, change: 'view' });
  }

  done(): Applied {
    return {
      map: { self: this.self, users: this.users },
      events: this.events,
      settled: this.settled,
    };
  }
}
