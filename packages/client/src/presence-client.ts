import {
  CloseCode,
  type CursorUpdate,
  decodeServerFrame,
  encodeJson,
  encodeMoveBinary,
  encodeMoveText,
  type Frame,
  type Point,
  PROTOCOL_VERSION,
  type User,
  type UserState,
} from '@cursorline/protocol';
import { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
import { openSocket, type SocketOptions, type WireSocket } from './socket.ts';

export type Status = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StatusDetail {
  /** Transport in use, e.g. "ws" or "sockjs/xhr-streaming" (empty while not connected). */
  transport: string;
  /** Close code and reason of the last disconnect, if any. */
  code?: number;
  reason?: string;
  /** When reconnecting: how long until the next attempt. */
  retryInMs?: number;
}

export interface ClientEvents {
  status: (status: Status, detail: StatusDetail) => void;
  /** A (re)connection was accepted: who we are and everyone already here. */
  welcome: (self: User, users: readonly UserState[]) => void;
  join: (user: UserState) => void;
  leave: (id: number) => void;
  rename: (id: number, name: string) => void;
  /** Other users' cursor moves from one server tick (never our own). */
  cursors: (moves: readonly CursorUpdate[]) => void;
}

export interface ClientOptions extends SocketOptions {
  room: string;
  name: string;
  /** At most one cursor message per this many ms (default 40, the server's default tick). */
  sendIntervalMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

/** Close codes that mean the server refused what we sent: reconnecting would only repeat it. */
const FATAL_CODES: ReadonlySet<number> = new Set([
  CloseCode.InvalidData,
  CloseCode.PolicyViolation,
  CloseCode.TooBig,
  CloseCode.UnsupportedVersion,
]);

/**
 * A framework-free connection to one room. It keeps presence (who is here, where their cursor
 * is), reconnects with jittered backoff, and sends our own cursor latest-wins at a bounded rate:
 * nothing while alone, nothing while disconnected, and nothing stale after a reconnect.
 */
export class PresenceClient {
  status: Status = 'connecting';
  self: User | null = null;
  /** Everyone else in the room. */
  readonly users = new Map<number, UserState>();

  private socket: WireSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSentAt = 0;
  /** Our newest cursor position not yet sent (undefined = nothing to send). */
  private pending: Point | null | undefined;
  private name: string;
  private readonly listeners = new Map<keyof ClientEvents, Set<(...args: unknown[]) => void>>();

  constructor(private readonly options: ClientOptions) {
    this.name = options.name;
    this.connect();
  }

  /** The transport carrying the data now, e.g. "ws" or "sockjs/xhr-polling"; "" when offline. */
  get transport(): string {
    return this.socket?.describe() ?? '';
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
    this.pending = at;
    this.scheduleSend();
  }

  setName(name: string): void {
    this.name = name;
    if (this.status === 'open') this.socket?.send(encodeJson({ t: 'name', name }));
  }

  /** Closes for good: no reconnect. */
  close(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.sendTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.setStatus('closed', {});
  }

  private connect(): void {
    const socket = openSocket(this.options, {
      open: () => {
        socket.send(
          encodeJson({ t: 'hello', v: PROTOCOL_VERSION, room: this.options.room, name: this.name }),
        );
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
        this.self = msg.self;
        this.users.clear();
        for (const user of msg.users) this.users.set(user.id, user);
        this.setStatus('open', {});
        this.emit('welcome', msg.self, msg.users);
        return;
      case 'join':
        this.users.set(msg.user.id, msg.user);
        this.emit('join', msg.user);
        // We were alone and kept our position to ourselves; the newcomer should see it now.
        if (this.users.size === 1) this.scheduleSend();
        return;
      case 'leave':
        if (this.users.delete(msg.id)) this.emit('leave', msg.id);
        return;
      case 'rename': {
        const user = this.users.get(msg.id);
        if (user) user.name = msg.name;
        if (msg.id === this.self?.id) this.self.name = msg.name;
        this.emit('rename', msg.id, msg.name);
        return;
      }
      case 'cursors': {
        const selfId = this.self?.id;
        const moves = msg.moves.filter((m) => m.id !== selfId && this.users.has(m.id));
        for (const { id, at } of moves) {
          const user = this.users.get(id);
          if (user) user.at = at;
        }
        if (moves.length > 0) this.emit('cursors', moves);
        return;
      }
    }
  }

  private onDisconnect(code: number, reason: string): void {
    this.socket = null;
    clearTimeout(this.sendTimer);
    this.pending = undefined;
    const left = [...this.users.keys()];
    this.users.clear();
    for (const id of left) this.emit('leave', id);

    if (FATAL_CODES.has(code)) {
      this.setStatus('closed', { code, reason });
      return;
    }
    const retryInMs = backoffDelay(
      this.attempt++,
      this.options.backoff ?? defaultBackoff,
      this.options.random,
    );
    this.setStatus('reconnecting', { code, reason, retryInMs });
    this.retryTimer = setTimeout(() => this.connect(), retryInMs);
  }

  private scheduleSend(): void {
    if (this.sendTimer !== undefined || this.pending === undefined) return;
    const interval = this.options.sendIntervalMs ?? 40;
    const wait = Math.max(0, this.lastSentAt + interval - Date.now());
    this.sendTimer = setTimeout(() => {
      this.sendTimer = undefined;
      this.flushMove();
    }, wait);
  }

  private flushMove(): void {
    const at = this.pending;
    if (at === undefined || !this.socket || this.status !== 'open') return;
    if (this.users.size === 0) return; // alone: keep it until someone joins
    this.pending = undefined;
    this.lastSentAt = Date.now();
    this.socket.send(this.socket.binary ? encodeMoveBinary(at) : encodeMoveText(at));
  }

  private setStatus(status: Status, detail: Omit<StatusDetail, 'transport'>): void {
    this.status = status;
    this.emit('status', status, { ...detail, transport: this.transport });
  }

  private emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
}
