import {
  type ClientJson,
  CloseCode,
  type CursorUpdate,
  decodeBatchText,
  encodeBatchBinary,
  encodeBatchText,
  encodeJson,
  PALETTE,
  type Point,
  PROTOCOL_VERSION,
  type PresenceState,
  type ServerJson,
  type UserChange,
  type UserState,
  type Welcome,
} from '@cursorline/protocol';
import type { RoomEvent } from '../backplane/backplane.ts';
import type { ServerConfig } from '../config.ts';
import type { Peer } from '../transports/transport.ts';

/** A member's live connection: where to send, and how to end it. */
export interface Link {
  readonly peer: Peer;
  /** Ends the connection (the session then takes the member out of the room at once). */
  readonly kick: (code: number, reason: string) => void;
}

export interface Member {
  /** Everything others see of this user; sent as is in snapshots. */
  readonly user: UserState;
  /** The node this user is connected to, or null for a user of this node. */
  readonly remote: string | null;
  /** null for a remote user, or while a local user's connection is gone and may resume. */
  link: Link | null;
  /** When it first went over the soft buffer limit, if it still is. */
  behindSince: number | undefined;
}

export type RoomOptions = Pick<
  ServerConfig,
  'fanout' | 'softBufferBytes' | 'hardBufferBytes' | 'maxBehindMs'
>;

/** Counters shared by all rooms of a server (read by metrics and tests). */
export interface RoomStats {
  /** Cursor frames not sent because the recipient's buffer was over the soft limit. */
  framesSkipped: number;
  /** Recipients disconnected for being too slow. */
  slowDisconnects: number;
}

const toMoves = (changes: Map<number, Point | null>): CursorUpdate[] =>
  [...changes].map(([id, at]) => ({ id, at }));

/** One frame, encoded at most once per format however many recipients take it. */
class SharedFrame {
  private binary: Uint8Array<ArrayBuffer> | undefined;
  private text: string | undefined;
  constructor(private readonly moves: readonly CursorUpdate[]) {}
  get size(): number {
    return this.moves.length;
  }
  for(peer: Peer): Uint8Array<ArrayBuffer> | string {
    if (peer.format === 'binary') {
      this.binary ??= encodeBatchBinary(this.moves);
      return this.binary;
    }
    this.text ??= encodeBatchText(this.moves);
    return this.text;
  }
}

/**
 * One room: who is here and what others see of them. It does not know which transport anyone
 * came by; it only asks each Peer which format it takes and how much it has queued.
 *
 * Joins, leaves, chat and reactions go out at once. Cursor moves and presence writes (name, state,
 * pointer, view) do not: they only record the newest value (latest wins), and flush() sends what
 * changed since the last tick, cursors as one compact frame and presence as one `changes` frame
 * per recipient, each encoded once for the whole room. That turns the tutorial's N² frames per
 * move into N per tick, and a user who renames in a loop costs no more than one who moves.
 *
 * With several nodes, a room also holds the users of other nodes ("remote" members, no link).
 * Changes by this node's users are published for the other nodes; changes the other nodes
 * publish are applied with apply() and reach this node's users like local ones.
 */
export class Room {
  private readonly members = new Map<number, Member>();
  private readonly changed = new Map<number, Point | null>();
  /** This node's users' moves since the last tick, for the other nodes. */
  private readonly localChanged = new Map<number, Point | null>();
  private remoteCount = 0;
  /** Members skipped on a tick because their buffer was full: each is owed every position. */
  private readonly stale = new Set<Member>();
  /** Presence fields changed since the last tick, per user (latest wins). */
  private readonly pending = new Map<number, UserChange>();

  constructor(
    readonly name: string,
    private readonly options: RoomOptions,
    private readonly stats: RoomStats = { framesSkipped: 0, slowDisconnects: 0 },
    private readonly publish: (event: RoomEvent) => void = () => {},
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** Users connected to this node. */
  get localSize(): number {
    return this.members.size - this.remoteCount;
  }

  localUsers(): UserState[] {
    return [...this.members.values()].filter((m) => m.remote === null).map((m) => m.user);
  }

  /** Adds a user, sends them the snapshot of everyone already here, and tells the others. */
  add(link: Link, id: number, name: string, resume: string, bot = false): Member {
    const user: UserState = {
      ...(bot ? { bot: true as const } : {}),
      id,
      name,
      color: this.pickColor(),
      at: null,
      state: 'active',
      pointer: { kind: 'mouse', pressed: false },
      view: null,
    };
    const member: Member = { user, remote: null, link, behindSince: undefined };
    this.welcome(member, resume, false);
    this.members.set(id, member);
    this.broadcast({ t: 'join', user }, id);
    this.publish({ t: 'join', user });
    return member;
  }

  /** A dropped user came back in time: same id, color and name; the others see no leave. */
  reattach(member: Member, link: Link, resume: string): void {
    member.link = link;
    member.behindSince = undefined;
    this.stale.delete(member);
    this.welcome(member, resume, true);
    if (member.user.state === 'offline') this.setState(member, 'active');
  }

  /** The connection dropped: keep the user (and their cursor) shown as offline for now. */
  detach(member: Member): void {
    member.link = null;
    this.stale.delete(member);
    this.setState(member, 'offline');
  }

  move(member: Member, at: Point | null): void {
    member.user.at = at;
    // Other nodes need our users' moves only while they have users here themselves.
    if (member.remote === null && this.remoteCount > 0) this.localChanged.set(member.user.id, at);
    if (this.options.fanout === 'per-move') {
      this.sendCursors(new SharedFrame([{ id: member.user.id, at }]), member.user.id);
      return;
    }
    this.changed.set(member.user.id, at);
  }

  rename(member: Member, name: string): void {
    if (member.user.name === name) return;
    member.user.name = name;
    this.changedField(member, { name });
  }

  setState(member: Member, state: PresenceState): void {
    if (member.user.state === state) return;
    member.user.state = state;
    this.changedField(member, { state });
  }

  setPointer(member: Member, pointer: UserState['pointer']): void {
    const now = member.user.pointer;
    if (now.kind === pointer.kind && now.pressed === pointer.pressed) return;
    member.user.pointer = pointer;
    this.changedField(member, { pointer });
  }

  setView(member: Member, view: NonNullable<UserState['view']>): void {
    member.user.view = view;
    this.changedField(member, { view });
  }

  /** Records a presence change for the next tick (sent then, with the newest value only). */
  private changedField(member: Member, change: Omit<UserChange, 'id'>): void {
    const id = member.user.id;
    const entry = this.pending.get(id);
    if (entry) Object.assign(entry, change);
    else this.pending.set(id, { id, ...change });
  }

  /** Chat and reactions are moments, not state: relayed to the others, not kept. */
  relay(member: Member, msg: Extract<ClientJson, { t: 'chat' | 'react' }>): void {
    this.broadcast({ ...msg, id: member.user.id }, member.user.id);
    if (member.remote === null) this.publish({ t: 'relay', id: member.user.id, msg });
  }

  /** Removes a user and tells the others; safe to call twice. */
  remove(member: Member): void {
    const id = member.user.id;
    if (this.members.get(id) !== member) return;
    this.members.delete(id);
    this.changed.delete(id);
    this.localChanged.delete(id);
    this.pending.delete(id);
    this.stale.delete(member);
    if (member.remote === null) this.publish({ t: 'leave', id });
    else this.remoteCount--;
    this.broadcast({ t: 'leave', id });
  }

  /** Applies what another node published about its users in this room. */
  apply(event: RoomEvent, node: string): void {
    switch (event.t) {
      case 'join':
      case 'update':
        this.upsertRemote(event.user, node);
        break;
      case 'leave': {
        const member = this.members.get(event.id);
        if (member?.remote === node) this.remove(member);
        break;
      }
      case 'relay': {
        const member = this.members.get(event.id);
        if (member?.remote === node) this.relay(member, event.msg);
        break;
      }
      case 'cursors':
        for (const { id, at } of decodeBatchText(event.batch) ?? []) {
          const member = this.members.get(id);
          if (member?.remote === node) this.move(member, at);
        }
        break;
      case 'members': {
        // The node's full list: drop what it no longer has, add or update the rest.
        const listed = new Set(event.users.map((u) => u.id));
        for (const member of [...this.members.values()]) {
          if (member.remote === node && !listed.has(member.user.id)) this.remove(member);
        }
        for (const user of event.users) this.upsertRemote(user, node);
        break;
      }
      case 'hello':
        break; // answered by the registry, which knows how to publish
    }
  }

  /** A node is gone: so are its users (only those still offline, when `only` says so). */
  removeNode(node: string, only?: 'offline'): void {
    for (const member of [...this.members.values()]) {
      if (member.remote !== node) continue;
      if (only === undefined || member.user.state === only) this.remove(member);
    }
  }

  /** A node stopped answering: show its users offline here (the node cannot say so itself). */
  nodeLost(node: string): void {
    for (const member of this.members.values()) {
      if (member.remote === node) this.setState(member, 'offline');
    }
  }

  /** Sends every presence and cursor change since the last tick. Does nothing when nothing changed. */
  flush(): void {
    if (this.pending.size > 0) this.flushPresence();
    if (this.localChanged.size > 0) {
      // Other nodes only need our users' moves, and only if they have users here.
      if (this.remoteCount > 0)
        this.publish({ t: 'cursors', batch: encodeBatchText(toMoves(this.localChanged)) });
      this.localChanged.clear();
    }
    if (this.changed.size === 0 && this.stale.size === 0) return;
    const moves = toMoves(this.changed);
    this.changed.clear();
    // Nobody else moved: the mover has nothing new to learn.
    const onlyMover = moves.length === 1 ? moves[0]?.id : undefined;
    this.sendCursors(new SharedFrame(moves), onlyMover);
  }

  private upsertRemote(user: UserState, node: string): void {
    const member = this.members.get(user.id);
    if (!member) {
      this.members.set(user.id, {
        user: { ...user },
        remote: node,
        link: null,
        behindSince: undefined,
      });
      this.remoteCount++;
      this.broadcast({ t: 'join', user });
      return;
    }
    if (member.remote !== node) return; // an id another node also uses: keep the first
    this.rename(member, user.name);
    this.setState(member, user.state);
    this.setPointer(member, user.pointer);
    if (user.view && JSON.stringify(user.view) !== JSON.stringify(member.user.view)) {
      this.setView(member, user.view);
    }
  }

  /**
   * One `changes` frame for everyone here (the changer too: it confirms their own name), and one
   * `update` per changed local user for the other nodes.
   */
  private flushPresence(): void {
    const users = [...this.pending.values()];
    this.pending.clear();
    this.broadcast({ t: 'changes', users });
    for (const { id } of users) {
      const member = this.members.get(id);
      if (member?.remote === null) this.publish({ t: 'update', user: member.user });
    }
  }

  private welcome(member: Member, resume: string, resumed: boolean): void {
    const { id, name, color } = member.user;
    const msg: Welcome = {
      t: 'welcome',
      v: PROTOCOL_VERSION,
      room: this.name,
      self: { id, name, color },
      users: [...this.members.values()].filter((m) => m !== member).map((m) => m.user),
      resume,
      resumed,
    };
    member.link?.peer.send(encodeJson(msg));
  }

  /**
   * Backpressure: a recipient whose socket is not draining is skipped rather than queued for
   * (cursor moves are latest-wins, so a backlog would only deliver stale positions late). Once
   * it drains it gets everyone's current position in one frame. One that stays behind too long,
   * or whose queue passes the hard limit, is disconnected so its memory is released.
   */
  private sendCursors(delta: SharedFrame, exceptId: number | undefined): void {
    const { softBufferBytes, hardBufferBytes, maxBehindMs } = this.options;
    let full: SharedFrame | undefined;
    // Monotonic: a wall-clock step must not make anyone look behind (or never behind).
    const now = performance.now();
    for (const member of this.members.values()) {
      const link = member.link;
      if (!link) continue;
      const owed = this.stale.has(member);
      if (member.user.id === exceptId && !owed) continue;
      const queued = link.peer.bufferedBytes();
      if (queued > softBufferBytes) {
        member.behindSince ??= now;
        this.stale.add(member);
        this.stats.framesSkipped++;
        if (queued > hardBufferBytes || now - member.behindSince > maxBehindMs) {
          this.stats.slowDisconnects++;
          link.kick(CloseCode.TryAgainLater, 'too slow to keep up');
        }
        continue;
      }
      member.behindSince = undefined;
      if (owed) {
        this.stale.delete(member);
        full ??= new SharedFrame(this.positions());
        link.peer.send(full.for(link.peer));
      } else if (delta.size > 0) {
        link.peer.send(delta.for(link.peer));
      }
    }
  }

  private positions(): CursorUpdate[] {
    return [...this.members.values()].map(({ user }) => ({ id: user.id, at: user.at }));
  }

  private broadcast(msg: ServerJson, exceptId?: number): void {
    const frame = encodeJson(msg);
    for (const { link, user } of this.members.values()) {
      if (link && user.id !== exceptId) link.peer.send(frame);
    }
  }

  /** The least used palette color, so colors stay distinct until the palette runs out. */
  private pickColor(): string {
    const uses = new Map<string, number>(PALETTE.map((c) => [c, 0]));
    for (const { user } of this.members.values()) {
      uses.set(user.color, (uses.get(user.color) ?? 0) + 1);
    }
    let best: string = PALETTE[0];
    for (const [color, n] of uses) if (n < (uses.get(best) ?? 0)) best = color;
    return best;
  }
}
