import {
  ChatTextSchema,
  type ClientJson,
  CloseCode,
  type CursorUpdate,
  decodeServerFrame,
  encodeJson,
  encodeMoveBinary,
  encodeMoveText,
  type Frame,
  fromRawSockjsCode,
  NameSchema,
  type Point,
  type Pointer,
  PROTOCOL_VERSION,
  type Reaction,
  SLOW_DOWN_COOLDOWN_MS,
  type User,
  type UserChange,
  type UserState,
  type View,
  WHO_MAX_IDS,
} from '@cursorline/protocol';
import { type AutoOptions, openChosenSocket } from './auto-socket.ts';
import { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
import { LatestWins } from './latest-wins.ts';
import type { SocketOptions, WireSocket } from './socket.ts';

export type Status = 'connecting' | 'open' | 'reconnecting' | 'closed';
export type Activity = 'active' | 'idle' | 'away';

export interface StatusDetail {
  /** Transport in use, e.g. "ws" or "sockjs/xhr-streaming" (empty while not connected). */
  transport: string;
  /** Why `auto` is not on raw WebSocket, e.g. "WebSocket blocked" (empty when it is). */
  fallback?: string;
  /** Close code and reason of the last disconnect, if any. */
  code?: number;
  reason?: string;
  /** When reconnecting: how long until the next attempt. */
  retryInMs?: number;
}

export interface ClientEvents {
  status: (status: Status, detail: StatusDetail) => void;
  /** A (re)connection was accepted: who we are and everyone already here. */
  welcome: (self: User, users: readonly UserState[], resumed: boolean) => void;
  join: (user: UserState) => void;
  /** `user` is the departed user's last state (already removed from `users`). */
  leave: (id: number, user: UserState) => void;
  /** A user's name, state, pointer or view changed; `user` already holds the new value. */
  update: (user: UserState | User, change: 'name' | 'state' | 'pointer' | 'view') => void;
  /** Other users' cursor moves from one server tick (never our own). */
  cursors: (moves: readonly CursorUpdate[]) => void;
  chat: (id: number, text: string) => void;
  react: (id: number, emoji: Reaction) => void;
  /**
   * How many others are in the room, listed in `users` or not. In a big room the server lists
   * only some of them (the snapshot is bounded); the rest are this count, paged with roster().
   */
  count: (others: number) => void;
  /** A page asked for with roster(): `next` is where the following page starts (null: the end). */
  roster: (users: readonly UserState[], next: number | null) => void;
}

export interface ClientOptions extends SocketOptions, AutoOptions {
  room: string;
  name: string;
  /** At most one cursor message per this many ms (default 40, the server's default tick). */
  sendIntervalMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

/**
 * Close codes that mean the server refused what we sent, or us: reconnecting would only repeat
 * it. A full room is final too: the page says so and offers another room.
 */
const FATAL_CODES: ReadonlySet<number> = new Set([
  CloseCode.InvalidData,
  CloseCode.PolicyViolation,
  CloseCode.TooBig,
  CloseCode.UnsupportedVersion,
  CloseCode.Replaced,
  CloseCode.RoomFull,
]);
const VIEW_INTERVAL_MS = 100;
/**
 * Users we learn about on our own (cursors from people the bounded snapshot did not list): we ask
 * for them at most once a second, and stop once we know this many, so a huge room never puts
 * thousands of people in `users` (or on the page). roster() pages through the rest.
 */
const LEARN_UP_TO = 300;
const LEARN_EVERY_MS = 1000;

/**
 * A framework-free connection to one room. It keeps presence (who is here, where their cursor
 * is), reconnects with jittered backoff and resumes the same user when it can, and sends our own
 * cursor latest-wins at a bounded rate: nothing while alone, nothing while disconnected, and
 * nothing stale after a reconnect.
 */
export class PresenceClient {
  status: Status = 'connecting';
  self: User | null = null;
  /** Everyone else in the room. Kept while reconnecting; replaced by the next welcome. */
  readonly users = new Map<number, UserState>();
  /** How many others are in the room, including those not in `users` (big rooms). */
  count = 0;

  private socket: (WireSocket & { readonly fallback?: string }) | null = null;
  private resumeToken: string | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private name: string;
  /** Our own state, re-sent after a reconnect that could not resume. */
  private activity: Activity = 'active';
  private pointer: Pointer = { kind: 'mouse', pressed: false };
  private readonly cursor: LatestWins<Point | null>;
  private readonly view: LatestWins<View>;
  private following: number | null = null;
  private readonly unknown = new Set<number>();
  private lastLearnAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Map<keyof ClientEvents, Set<(...args: unknown[]) => void>>();

  constructor(private readonly options: ClientOptions) {
    this.name = options.name;
    this.cursor = new LatestWins(options.sendIntervalMs ?? 40, (at) => {
      // Alone: keep it until someone joins. Offline: move() never queued it.
      if (!this.socket || this.status !== 'open' || this.count === 0) return false;
      this.socket.send(this.socket.binary ? encodeMoveBinary(at) : encodeMoveText(at));
      return true;
    });
    this.view = new LatestWins(VIEW_INTERVAL_MS, (view) => this.sendJson({ t: 'view', view }));
    this.connect();
  }

  /** The transport carrying the data now, e.g. "ws" or "sockjs/xhr-polling"; "" when offline. */
  get transport(): string {
    return this.socket?.describe() ?? '';
  }

  /** The secret that lets this user leave at once by beacon when the page goes away. */
  get token(): string | undefined {
    return this.resumeToken;
  }

  on<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const listener = fn as (...args: unknown[]) => void;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Records our cursor position (null: off the board). Sent at the next send slot, latest wins. */
  move(at: Point | null): void {
    if (this.status !== 'open') return; // offline moves are stale by the time we are back
    this.cursor.set(at);
  }

  /**
   * Refuses (returns false) a name the server would refuse: sending it would get this
   * connection closed for good (1008).
   */
  setName(name: string): boolean {
    const valid = NameSchema.safeParse(name);
    if (!valid.success) return false;
    this.name = valid.data;
    this.sendJson({ t: 'name', name: valid.data });
    return true;
  }

  setActivity(activity: Activity): void {
    if (activity === this.activity) return;
    this.activity = activity;
    this.sendJson({ t: 'state', state: activity });
  }

  setPointer(pointer: Pointer): void {
    if (pointer.kind === this.pointer.kind && pointer.pressed === this.pointer.pressed) return;
    this.pointer = pointer;
    this.sendJson({ t: 'pointer', ...pointer });
  }

  /** The part of the board we have on screen (for followers); sent at most 10 times a second. */
  setView(view: View): void {
    this.view.set(view);
  }

  /** Tells the server whom we follow (their cursor then comes at full rate); null: nobody. */
  follow(id: number | null): void {
    if (id === this.following) return;
    this.following = id;
    this.sendJson({ t: 'follow', id });
  }

  /** Asks for a page of the room's users in id order, after `after` (answered by 'roster'). */
  roster(after = 0): void {
    this.sendJson({ t: 'who', after });
  }

  /** Returns false for text the server would refuse (too long, control characters). */
  chat(text: string): boolean {
    const valid = ChatTextSchema.safeParse(text);
    if (!valid.success) return false;
    this.sendJson({ t: 'chat', text: valid.data });
    return true;
  }

  react(emoji: Reaction): void {
    this.sendJson({ t: 'react', emoji });
  }

  /**
   * While waiting to retry, try now instead (e.g. the browser says the network is back): the
   * sooner we are back, the likelier we resume our seat within the server's grace period.
   */
  reconnectNow(): void {
    if (this.status !== 'reconnecting' || this.socket) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  /** Leaves for good: says goodbye so others see us go at once, and does not reconnect. */
  close(): void {
    clearTimeout(this.retryTimer);
    this.cursor.clear();
    this.view.clear();
    const socket = this.socket;
    this.sendJson({ t: 'bye' });
    this.socket = null;
    socket?.close();
    this.setStatus('closed', {});
  }

  private sendJson(msg: ClientJson): boolean {
    if (!this.socket || this.status !== 'open') return false;
    this.socket.send(encodeJson(msg));
    return true;
  }

  private connect(): void {
    const socket = openChosenSocket(this.options, {
      open: () => {
        const { room } = this.options;
        const hello = { t: 'hello', v: PROTOCOL_VERSION, room, name: this.name } as const;
        socket.send(encodeJson(this.resumeToken ? { ...hello, resume: this.resumeToken } : hello));
      },
      frame: (frame) => {
        if (this.socket === socket) this.onFrame(frame);
      },
      close: (code, reason) => {
        if (this.socket === socket) this.onDisconnect(code, reason);
      },
    });
    this.socket = socket;
  }

  private onFrame(frame: Frame): void {
    const decoded = decodeServerFrame(frame);
    if (!decoded.ok) {
      // The server or something between us sent garbage: start over on a fresh connection.
      this.socket?.close();
      this.onDisconnect(decoded.code, `bad frame from server: ${decoded.reason}`);
      return;
    }
    const msg = decoded.msg;
    switch (msg.t) {
      case 'welcome':
        this.attempt = 0;
        this.resumeToken = msg.resume;
        this.self = msg.self;
        this.users.clear();
        this.unknown.clear();
        for (const user of msg.users) this.users.set(user.id, user);
        this.count = msg.count;
        this.setStatus('open', {});
        // A fresh seat starts at the server's defaults, and a resumed one comes back active:
        // either way, tell it what we are (it ignores what it already knows).
        this.resendOwnState();
        this.view.kick();
        this.emit('welcome', msg.self, msg.users, msg.resumed);
        this.emit('count', this.count);
        return;
      case 'changes':
        // In a huge room the page keeps a bounded few in full; the rest is the count.
        for (const user of msg.joined ?? []) {
          if (this.users.size < LEARN_UP_TO || (msg.count ?? 0) <= LEARN_UP_TO) this.learn(user);
        }
        for (const id of msg.left ?? []) this.forget(id);
        for (const change of msg.users) this.applyChange(change);
        if (msg.count !== undefined) this.setCount(msg.count - 1);
        return;
      case 'roster':
        for (const user of msg.users) if (this.users.size < LEARN_UP_TO) this.learn(user);
        this.emit('roster', msg.users, msg.next);
        return;
      case 'chat':
        if (this.users.has(msg.id)) this.emit('chat', msg.id, msg.text);
        return;
      case 'react':
        if (this.users.has(msg.id)) this.emit('react', msg.id, msg.emoji);
        return;
      case 'cursors': {
        const selfId = this.self?.id;
        const moves = msg.moves.filter((m) => m.id !== selfId && this.users.has(m.id));
        if (moves.length < msg.moves.length) this.askAboutUnknown(msg.moves);
        for (const { id, at } of moves) {
          const user = this.users.get(id);
          if (user) user.at = at;
        }
        if (moves.length > 0) this.emit('cursors', moves);
        return;
      }
    }
  }

  /** A user we now know in full (an arrival, or one we asked about). */
  private learn(user: UserState): void {
    if (user.id === this.self?.id) return;
    this.unknown.delete(user.id);
    const known = this.users.has(user.id);
    this.users.set(user.id, user);
    if (!known) this.emit('join', user);
  }

  private forget(id: number): void {
    this.unknown.delete(id);
    const user = this.users.get(id);
    if (user && this.users.delete(id)) this.emit('leave', id, user);
  }

  private setCount(others: number): void {
    const was = this.count;
    this.count = Math.max(0, others);
    // We were alone and kept our position to ourselves; the newcomer should see it now.
    if (was === 0 && this.count > 0) this.cursor.kick();
    this.emit('count', this.count);
  }

  /** Cursors from people the bounded snapshot left out: ask who they are (bounded, see LEARN_UP_TO). */
  private askAboutUnknown(moves: readonly CursorUpdate[]): void {
    if (this.users.size + this.unknown.size >= LEARN_UP_TO) return;
    for (const { id } of moves) {
      if (id !== this.self?.id && !this.users.has(id)) this.unknown.add(id);
      if (this.unknown.size >= WHO_MAX_IDS) break;
    }
    const now = Date.now();
    if (this.unknown.size === 0 || now - this.lastLearnAt < LEARN_EVERY_MS) return;
    this.lastLearnAt = now;
    const ids = [...this.unknown].slice(0, WHO_MAX_IDS);
    if (this.sendJson({ t: 'who', ids })) this.unknown.clear();
  }

  /** One user's presence changes from a tick. Of our own, only the name is news (it confirms it). */
  private applyChange({ id, name, state, pointer, view }: UserChange): void {
    if (id === this.self?.id) {
      if (name !== undefined && this.self) {
        this.self.name = name;
        this.emit('update', this.self, 'name');
      }
      return;
    }
    const user = this.users.get(id);
    if (!user) return;
    if (name !== undefined) user.name = name;
    if (state !== undefined) user.state = state;
    if (pointer !== undefined) user.pointer = pointer;
    if (view !== undefined) user.view = view;
    if (name !== undefined) this.emit('update', user, 'name');
    if (state !== undefined) this.emit('update', user, 'state');
    if (pointer !== undefined) this.emit('update', user, 'pointer');
    if (view !== undefined) this.emit('update', user, 'view');
  }

  private resendOwnState(): void {
    if (this.following !== null) this.sendJson({ t: 'follow', id: this.following });
    if (this.activity !== 'active') this.sendJson({ t: 'state', state: this.activity });
    if (this.pointer.kind !== 'mouse' || this.pointer.pressed) {
      this.sendJson({ t: 'pointer', ...this.pointer });
    }
  }

  private onDisconnect(wireCode: number, reason: string): void {
    this.socket = null;
    this.cursor.clear();
    const code = fromRawSockjsCode(wireCode);

    if (FATAL_CODES.has(code)) {
      const left = [...this.users.values()];
      this.users.clear();
      this.count = 0;
      for (const user of left) this.emit('leave', user.id, user);
      this.setStatus('closed', { code, reason });
      return;
    }
    // "Slow down" is not final: wait out the cool-down (plus the usual jitter), then resume.
    const coolDown = code === CloseCode.SlowDown ? SLOW_DOWN_COOLDOWN_MS : 0;
    const retryInMs =
      coolDown +
      backoffDelay(this.attempt++, this.options.backoff ?? defaultBackoff, this.options.random);
    this.setStatus('reconnecting', { code, reason, retryInMs });
    this.retryTimer = setTimeout(() => this.connect(), retryInMs);
  }

  private setStatus(status: Status, detail: Omit<StatusDetail, 'transport' | 'fallback'>): void {
    this.status = status;
    const fallback = this.socket?.fallback || undefined;
    this.emit('status', status, { ...detail, transport: this.transport, fallback });
  }

  private emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
}
