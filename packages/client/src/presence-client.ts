import {
  type Activity,
  ChatTextSchema,
  type ClientJson,
  ClientJsonSchema,
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
  type ServerMessage,
  SLOW_DOWN_COOLDOWN_MS,
  type User,
  type UserState,
  type View,
  WHO_MAX_IDS,
} from '@cursorline/protocol';
import { type AutoOptions, openChosenSocket } from './auto-socket.ts';
import { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
import { LatestWins } from './latest-wins.ts';
import type { SocketOptions, WireSocket } from './socket.ts';
import {
  applyUserFrame,
  EMPTY_USERS,
  LEARN_UP_TO,
  type UserChangeKind,
  type UserEvent,
  type UserFrame,
  type UserMap,
} from './users.ts';

export type Status = 'connecting' | 'open' | 'reconnecting' | 'closed';
/** What we report of ourselves (`active`, `idle`, `away`): the protocol defines it. */
export type { Activity } from '@cursorline/protocol';

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

/**
 * Messages the server relays from one user to the room as they are (chat, reactions, and any
 * relayed type added to the protocol later): every server message that is not one of the frames
 * the client itself keeps the user map with. A new one reaches the page through the `relay`
 * event with no change here; each carries the sender's `id`, or this file stops compiling.
 */
export type RelayedMessage = Exclude<ServerMessage, UserFrame>;
export type RelayedType = RelayedMessage['t'];
// Relaying means "from someone": a server message without a sender is not relayed, and must get
// a case of its own in onFrame (this line fails to compile until it has one).
const relayedHaveSender: [RelayedMessage] extends [{ id: number }] ? true : never = true;
void relayedHaveSender;

/** The relayed message of one type, e.g. Relayed<'chat'> has `text`. */
export type Relayed<T extends RelayedType> = Extract<RelayedMessage, { t: T }>;

/** A `relay` listener that passes on only messages of one type (what onRelay adds). */
export function relayListener<T extends RelayedType>(
  type: T,
  fn: (msg: Relayed<T>) => void,
): (msg: RelayedMessage) => void {
  return (msg) => {
    if (msg.t === type) fn(msg as Relayed<T>);
  };
}

export interface ClientEvents {
  status: (status: Status, detail: StatusDetail) => void;
  /** A (re)connection was accepted: who we are and everyone already here. */
  welcome: (self: User, users: readonly UserState[], resumed: boolean) => void;
  join: (user: UserState) => void;
  /** `user` is the departed user's last state (already removed from `users`). */
  leave: (id: number, user: UserState) => void;
  /** A user's name, state, pointer or view changed; `user` already holds the new value. */
  update: (user: UserState | User, change: UserChangeKind) => void;
  /** Other users' cursor moves from one server tick (never our own). */
  cursors: (moves: readonly CursorUpdate[]) => void;
  /** A message someone in the room sent to everyone (chat, react, …); only from users we know. */
  relay: (msg: RelayedMessage) => void;
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
 * for them at most once a second, and stop once we know LEARN_UP_TO (users.ts), so a huge room
 * never puts thousands of people in `users` (or on the page). roster() pages through the rest.
 */
const LEARN_EVERY_MS = 1000;

/**
 * A framework-free connection to one room. It keeps presence (who is here, where their cursor
 * is), reconnects with jittered backoff and resumes the same user when it can, and sends our own
 * cursor latest-wins at a bounded rate: nothing while alone, nothing while disconnected, and
 * nothing stale after a reconnect.
 */
export class PresenceClient {
  status: Status = 'connecting';
  /** Who is here, replaced (never changed in place) by every frame that changes it (users.ts). */
  private map: UserMap = EMPTY_USERS;
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

  get self(): User | null {
    return this.map.self;
  }

  /**
   * Everyone else in the room. Kept while reconnecting; replaced by the next welcome. A new map
   * after every change: hold on to one and it stays as it was.
   */
  get users(): ReadonlyMap<number, UserState> {
    return this.map.users;
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

  /** One relayed message type only, e.g. onRelay('chat', (msg) => …msg.text). */
  onRelay<T extends RelayedType>(type: T, fn: (msg: Relayed<T>) => void): () => void {
    return this.on('relay', relayListener(type, fn));
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
   * Any JSON message of the protocol, e.g. a page feature's own relayed message: a new message
   * type needs no method here. Checked against the protocol's schema first, since the server
   * answers a message it refuses by closing the connection for good; false when refused or
   * not connected.
   */
  send(msg: ClientJson): boolean {
    if (!ClientJsonSchema.safeParse(msg).success) return false;
    return this.sendJson(msg);
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
        this.unknown.clear();
        this.apply(msg);
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
        this.apply(msg);
        if (msg.count !== undefined) this.setCount(msg.count - 1);
        return;
      case 'roster':
        this.apply(msg);
        this.emit('roster', msg.users, msg.next);
        return;
      case 'cursors':
        this.apply(msg);
        // Not all of them were news about people we know: perhaps some we do not know yet.
        if (msg.moves.some((m) => m.id === this.self?.id || !this.users.has(m.id))) {
          this.askAboutUnknown(msg.moves);
        }
        return;
      default:
        // Everything else is a relayed message: passed on as it is, from people we know.
        if (this.users.has(msg.id)) this.emit('relay', msg satisfies RelayedMessage);
        return;
    }
  }

  /** Applies a frame to the user map (users.ts), then tells the page what changed. */
  private apply(frame: UserFrame): void {
    const { map, events, settled } = applyUserFrame(this.map, frame);
    this.map = map;
    for (const id of settled) this.unknown.delete(id);
    for (const event of events) this.tell(event);
  }

  private tell(event: UserEvent): void {
    switch (event.type) {
      case 'join':
        this.emit('join', event.user);
        break;
      case 'leave':
        this.emit('leave', event.id, event.user);
        break;
      case 'update':
        this.emit('update', event.user, event.change);
        break;
      case 'cursors':
        this.emit('cursors', event.moves);
        break;
      default:
        event satisfies never;
    }
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
      this.map = { self: this.map.self, users: new Map() };
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
