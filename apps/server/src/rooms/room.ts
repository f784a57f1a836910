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
import { type Candidate, InterestIndex, viewerKey } from './interest.ts';

/** A member's live connection: where to send, and how to end it. */
export interface Link {
  readonly peer: Peer;
  /** Ends the connection (the session then takes the member out of the room at once). */
  readonly kick: (code: number, reason: string) => void;
}

export interface Member {
  /** Everything others see of this user; sent as is in snapshots. */
  readonly user: UserState;
  /** The node this user is connected to, or null for a user of this node (changes on a resume elsewhere). */
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
}

export type RoomOptions = Pick<
  ServerConfig,
  | 'fanout'
  | 'softBufferBytes'
  | 'hardBufferBytes'
  | 'maxBehindMs'
  | 'interestK'
  | 'lowRateMs'
  | 'snapshotUsers'
>;

/** A user who moved within this long is a candidate for full rate. */
const ACTIVE_MS = 3000;
/** A pause longer than this ends a streak of moves (the next move starts a new, newer one). */
const STREAK_GAP_MS = 1000;
/** Chatting or reacting makes a user interesting to everyone for this long. */
const HOT_MS = 5000;
/** Selections are recomputed this often, not every tick: interest changes slower than cursors. */
const INTEREST_REFRESH_MS = 200;
/** In a big room, a presence frame lists at most this many arrivals in full (the rest: count). */
const JOINED_LISTED = 20;
/** ...and at most this many changes; the rest wait for the next frame (latest wins meanwhile). */
const CHANGES_PER_FRAME = 200;

const newMember = (user: UserState, remote: string | null, link: Link | null): Member => ({
  user,
  remote,
  link,
  behindSince: undefined,
  follow: null,
  lastMoveAt: Number.NEGATIVE_INFINITY,
  activeSince: 0,
  hotUntil: 0,
});

/** Counters shared by all rooms of a server (read by metrics and tests). */
export interface RoomStats {
  /** Cursor frames not sent because the recipient's buffer was over the soft limit. */
  framesSkipped: number;
  /** Recipients disconnected for being too slow. */
  slowDisconnects: number;
}

const toMoves = (changes: Map<number, Point | null>): CursorUpdate[] =>
  [...changes].map(([id, at]) => ({ id, at }));

/** The moves of `ids` (a selection, in its order) that are in this tick's moves. */
const pick = (moves: Map<number, Point | null>, ids: readonly number[]): CursorUpdate[] => {
  const out: CursorUpdate[] = [];
  for (const id of ids) {
    const at = moves.get(id);
    if (at !== undefined) out.push({ id, at });
  }
  return out;
};

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
 * Chat and reactions go out at once. Everything else only records the newest value (latest
 * wins), and flush() sends what changed since the last tick: cursors as compact frames, and
 * presence (joins, leaves, names, states, pointers, views) as one `changes` frame per recipient,
 * each encoded once for all who share it. In a big room presence goes at the low rate instead.
 *
 * Cursors follow interest (interest.ts): a recipient gets at most K cursors a tick, those it is
 * likely looking at, and the whole room's changes every `lowRateMs`. An idle recipient gets only
 * the low-rate frames, a hidden one (away) nothing until it is back (then one catch-up frame).
 *
 * With several nodes, a room also holds the users of other nodes ("remote" members, no link).
 * Changes by this node's users are published for the other nodes; changes the other nodes
 * publish are applied with apply(). Another node's cursor batch is forwarded to our users as
 * soon as it arrives rather than on our next tick, so cross-node costs no extra tick.
 */
export class Room {
  private readonly members = new Map<number, Member>();
  /** Cursor moves of this node's users since the last tick (latest wins). */
  private readonly changed = new Map<number, Point | null>();
  /** This node's users' moves since the last tick, for the other nodes. */
  private readonly localChanged = new Map<number, Point | null>();
  /** Everyone's moves since the last low-rate frame. */
  private readonly lowChanged = new Map<number, Point | null>();
  /**
   * Per selection key, what its full-rate frames carried since the last low-rate frame: the
   * low-rate frame then leaves out exactly what that key already has (a position that changed
   * while its owner was outside the selection is still sent, whatever the selection is now).
   */
  private readonly sentByKey = new Map<string, Map<number, Point | null>>();
  /** The same for the frames everyone got (when no more than K were moving). */
  private readonly sentAll = new Map<number, Point | null>();
  private lastLowAt: number;
  private interestIndex: InterestIndex | undefined;
  private interestAt = Number.NEGATIVE_INFINITY;
  private remoteCount = 0;
  /** Members owed everyone's position in one frame: skipped for backpressure, or back from away. */
  private readonly stale = new Set<Member>();
  /** Presence since the last presence frame (latest wins). */
  private readonly pending = new Map<number, UserChange>();
  private readonly joined = new Map<number, Member>();
  private readonly left = new Set<number>();
  private lastPresenceAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    private readonly options: RoomOptions,
    private readonly stats: RoomStats = { framesSkipped: 0, slowDisconnects: 0 },
    private readonly publish: (event: RoomEvent) => void = () => {},
    /** Monotonic: a wall-clock step must not make anyone look behind (or never behind). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.lastLowAt = clock();
  }

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

  /** Adds a user and sends them the snapshot; the others hear of it on the next presence frame. */
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
    const member = newMember(user, null, link);
    this.welcome(member, resume, false);
    this.members.set(id, member);
    this.joined.set(id, member);
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

  /**
   * A user who dropped from another node resumes here: the same member (the others see it come
   * back, never a leave and a join), now this node's. The old node is told to let go of it.
   */
  adopt(link: Link, held: UserState, from: string, resume: string): Member {
    let member = this.members.get(held.id);
    if (member && member.remote !== null) {
      member.remote = null;
      member.link = link;
      this.remoteCount--;
    } else if (!member) {
      member = newMember({ ...held }, null, link);
      this.members.set(held.id, member);
      this.joined.set(held.id, member);
    }
    this.welcome(member, resume, true);
    this.publish({ t: 'adopt', user: member.user, from });
    this.setState(member, 'active');
    return member;
  }

  /** Our dropped user resumed on another node: it stays in the room, as that node's. */
  handOver(member: Member, node: string): void {
    if (member.remote !== null || this.members.get(member.user.id) !== member) return;
    member.link = null;
    member.remote = node;
    this.remoteCount++;
    this.stale.delete(member);
  }

  /** The connection dropped: keep the user (and their cursor) shown as offline for now. */
  detach(member: Member): void {
    member.link = null;
    this.stale.delete(member);
    this.setState(member, 'offline');
  }

  move(member: Member, at: Point | null): void {
    this.record(member, at);
    // Other nodes need our users' moves only while they have users here themselves.
    if (member.remote === null && this.remoteCount > 0) this.localChanged.set(member.user.id, at);
    if (this.options.fanout === 'per-move') {
      this.sendCursors(new Map([[member.user.id, at]]), undefined, member.user.id);
      return;
    }
    this.changed.set(member.user.id, at);
  }

  /** The newest position, and the activity that interest ranks by. */
  private record(member: Member, at: Point | null): void {
    const now = this.clock();
    member.user.at = at;
    if (now - member.lastMoveAt > STREAK_GAP_MS) member.activeSince = now;
    member.lastMoveAt = now;
    this.lowChanged.set(member.user.id, at);
  }

  follow(member: Member, id: number | null): void {
    member.follow = id;
  }

  rename(member: Member, name: string): void {
    if (member.user.name === name) return;
    member.user.name = name;
    this.changedField(member, { name });
  }

  setState(member: Member, state: PresenceState): void {
    const was = member.user.state;
    if (was === state) return;
    member.user.state = state;
    this.changedField(member, { state });
    // Back from hidden or idle: it missed cursors (or got them at a low rate), so it is owed a
    // catch-up frame of everyone's position on the next tick.
    if (member.link && state === 'active' && (was === 'away' || was === 'idle')) {
      this.stale.add(member);
    }
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

  /** Records a presence change for the next presence frame (sent with the newest value only). */
  private changedField(member: Member, change: Omit<UserChange, 'id'>): void {
    const id = member.user.id;
    if (this.joined.has(id)) return; // the arrival will carry the whole, newest state
    const entry = this.pending.get(id);
    if (entry) Object.assign(entry, change);
    else this.pending.set(id, { id, ...change });
  }

  /** Chat and reactions are moments, not state: relayed to the others, not kept. */
  relay(member: Member, msg: Extract<ClientJson, { t: 'chat' | 'react' }>): void {
    member.hotUntil = this.clock() + HOT_MS;
    this.broadcast({ ...msg, id: member.user.id }, member.user.id);
    if (member.remote === null) this.publish({ t: 'relay', id: member.user.id, msg });
  }

  /** Removes a user (the others hear on the next presence frame); safe to call twice. */
  remove(member: Member): void {
    const id = member.user.id;
    if (this.members.get(id) !== member) return;
    this.members.delete(id);
    this.changed.delete(id);
    this.localChanged.delete(id);
    this.lowChanged.delete(id);
    this.pending.delete(id);
    this.joined.delete(id);
    this.stale.delete(member);
    if (member.remote === null) this.publish({ t: 'leave', id });
    else this.remoteCount--;
    // Listed even if its arrival was never sent: a newcomer's snapshot may have named it.
    this.left.add(id);
  }

  /** A page of users for `who`: those asked for by id, or the next ones in id order. */
  roster(ids: readonly number[] | undefined, after: number | undefined, limit: number): ServerJson {
    const count = this.members.size;
    if (ids) {
      const users = ids.flatMap((id) => {
        const m = this.members.get(id);
        return m ? [m.user] : [];
      });
      return { t: 'roster', users, next: null, count };
    }
    const from = after ?? 0;
    const sorted = [...this.members.keys()].filter((id) => id > from).sort((a, b) => a - b);
    const page = sorted.slice(0, limit);
    const users = page.flatMap((id) => {
      const m = this.members.get(id);
      return m ? [m.user] : [];
    });
    const next = sorted.length > limit ? (page.at(-1) ?? null) : null;
    return { t: 'roster', users, next, count };
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
      case 'cursors': {
        // Forwarded now, not on our next tick: the other node already waited for its own tick.
        const moves = new Map<number, Point | null>();
        for (const { id, at } of decodeBatchText(event.batch) ?? []) {
          const member = this.members.get(id);
          if (member?.remote !== node) continue;
          this.record(member, at);
          moves.set(id, at);
        }
        if (moves.size > 0) this.sendCursors(moves, undefined, undefined);
        break;
      }
      case 'members': {
        // The node's full list: drop what it no longer has, add or update the rest.
        const listed = new Set(event.users.map((u) => u.id));
        for (const member of [...this.members.values()]) {
          if (member.remote === node && !listed.has(member.user.id)) this.remove(member);
        }
        for (const user of event.users) this.upsertRemote(user, node);
        break;
      }
      case 'adopt': {
        // Another node took over a user it resumed: same member, new home. (The node that held
        // it is told by the registry, which also owns the seat's token.)
        const member = this.members.get(event.user.id);
        if (member && member.remote === event.from) member.remote = node;
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
    const now = this.clock();
    this.flushPresence(now);
    if (this.localChanged.size > 0) {
      // Other nodes only need our users' moves, and only if they have users here.
      if (this.remoteCount > 0)
        this.publish({ t: 'cursors', batch: encodeBatchText(toMoves(this.localChanged)) });
      this.localChanged.clear();
    }
    let low: Map<number, Point | null> | undefined;
    if (now - this.lastLowAt >= this.options.lowRateMs) {
      this.lastLowAt = now;
      if (this.lowChanged.size > 0) low = new Map(this.lowChanged);
      this.lowChanged.clear();
    }
    if (this.changed.size === 0 && this.stale.size === 0 && !low) return;
    // Nobody else moved: the mover has nothing new to learn.
    const only = this.changed.size === 1 ? this.changed.keys().next().value : undefined;
    const moves = new Map(this.changed);
    this.changed.clear();
    this.sendCursors(moves, low, only);
    if (low) {
      this.sentByKey.clear();
      this.sentAll.clear();
    }
  }

  private upsertRemote(user: UserState, node: string): void {
    const member = this.members.get(user.id);
    if (!member) {
      const created = newMember({ ...user }, node, null);
      this.members.set(user.id, created);
      this.remoteCount++;
      this.left.delete(user.id);
      this.joined.set(user.id, created);
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

  /** Whether the room is past the snapshot bound (then presence is bounded and low-rate). */
  private get big(): boolean {
    return this.members.size > this.options.snapshotUsers;
  }

  /**
   * One `changes` frame for everyone here (the changer too: it confirms their own name), and one
   * `update` per changed local user for the other nodes. In a big room it goes at the low rate,
   * lists only the newest arrivals in full (the rest are in `count`; pages through `who`), and
   * carries at most CHANGES_PER_FRAME changes (the rest wait for the next one).
   */
  private flushPresence(now: number): void {
    if (this.pending.size === 0 && this.joined.size === 0 && this.left.size === 0) return;
    const big = this.big;
    if (big && now - this.lastPresenceAt < this.options.lowRateMs) return;
    this.lastPresenceAt = now;
    const users: UserChange[] = [];
    for (const change of this.pending.values()) {
      if (big && users.length >= CHANGES_PER_FRAME) break;
      users.push(change);
    }
    for (const { id } of users) this.pending.delete(id);
    const arrivals = [...this.joined.values()];
    const joined = (big ? arrivals.slice(-JOINED_LISTED) : arrivals).map((m) => m.user);
    const left = [...this.left];
    const counted = arrivals.length > 0 || left.length > 0;
    this.joined.clear();
    this.left.clear();
    const msg: ServerJson = { t: 'changes', users };
    if (joined.length > 0) msg.joined = joined;
    if (left.length > 0) msg.left = left;
    if (counted) msg.count = this.members.size;
    this.broadcast(msg);
    for (const { id } of users) {
      const member = this.members.get(id);
      if (member?.remote === null) this.publish({ t: 'update', user: member.user });
    }
  }

  /**
   * Everyone else, or in a big room a bounded few: the most recently active (moving or
   * chatting) first, then the earliest arrivals; `count` says how many there are in all.
   */
  private welcome(member: Member, resume: string, resumed: boolean): void {
    const { id, name, color } = member.user;
    const others = this.members.size - (this.members.get(id) === member ? 1 : 0);
    let users: UserState[];
    if (!this.big) {
      users = [...this.members.values()].filter((m) => m !== member).map((m) => m.user);
    } else {
      const limit = this.options.snapshotUsers;
      const chosen = new Set<number>(
        this.interest(this.clock()).select({ view: null, follow: null }),
      );
      for (const key of this.members.keys()) {
        if (chosen.size >= limit) break;
        chosen.add(key);
      }
      chosen.delete(id);
      users = [...chosen].flatMap((k) => {
        const m = this.members.get(k);
        return m ? [m.user] : [];
      });
    }
    const msg: Welcome = {
      t: 'welcome',
      v: PROTOCOL_VERSION,
      room: this.name,
      self: { id, name, color },
      users,
      count: others,
      resume,
      resumed,
    };
    member.link?.peer.send(encodeJson(msg));
  }

  /** The interest selections, recomputed at most every INTEREST_REFRESH_MS. */
  private interest(now: number): InterestIndex {
    if (this.interestIndex && now - this.interestAt < INTEREST_REFRESH_MS)
      return this.interestIndex;
    const candidates: Candidate[] = [];
    for (const m of this.members.values()) {
      const hot = m.hotUntil > now;
      if (!hot && now - m.lastMoveAt > ACTIVE_MS) continue;
      candidates.push({ id: m.user.id, at: m.user.at, activeSince: m.activeSince, hot });
    }
    this.interestIndex = new InterestIndex(candidates, this.options.interestK);
    this.interestAt = now;
    return this.interestIndex;
  }

  /**
   * Sends cursor moves to every local recipient by interest, plus the low-rate frame when one
   * is due. Frames are shared: one per selection key (per format), not one per recipient.
   *
   * Backpressure: a recipient whose socket is not draining is skipped rather than queued for
   * (cursor moves are latest-wins, so a backlog would only deliver stale positions late). Once
   * it drains it gets everyone's current position in one frame. One that stays behind too long,
   * or whose queue passes the hard limit, is disconnected so its memory is released.
   */
  private sendCursors(
    moves: Map<number, Point | null>,
    low: Map<number, Point | null> | undefined,
    exceptId: number | undefined,
  ): void {
    const { softBufferBytes, hardBufferBytes, maxBehindMs } = this.options;
    const now = this.clock();
    const perMove = this.options.fanout === 'per-move';
    // Only when more people move than K does anyone need choosing (and the low-rate rest).
    const index = perMove || moves.size === 0 ? undefined : this.interest(now);
    const crowded = index !== undefined && index.size > this.options.interestK;
    const all = moves.size > 0 ? new SharedFrame(toMoves(moves)) : undefined;
    if (!crowded && !perMove) for (const [id, at] of moves) this.sentAll.set(id, at);
    const byKey = new Map<string, SharedFrame>();
    const lowByKey = new Map<string, SharedFrame>();
    let lowAll: SharedFrame | undefined;
    let full: SharedFrame | undefined;
    for (const member of this.members.values()) {
      const link = member.link;
      if (!link) continue;
      const owed = this.stale.has(member);
      const state = member.user.state;
      // Hidden tab: nothing until it is back (then the catch-up, see setState).
      if (state === 'away' && !owed && !perMove) continue;
      let frame: SharedFrame | undefined;
      if (!owed) {
        if (member.user.id === exceptId && !low) continue;
        const idle = state === 'idle' && !perMove;
        if (!idle && member.user.id !== exceptId)
          frame = crowded ? this.selected(member, moves, byKey) : all;
        if (!frame?.size && !low) continue;
      }
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
        continue;
      }
      if (frame && frame.size > 0) link.peer.send(frame.for(link.peer));
      // The low-rate frame: everything for the idle, for the others what their full-rate frames
      // did not carry (nothing at all while no more than K move).
      if (low && state === 'idle') {
        lowAll ??= new SharedFrame(toMoves(low));
        link.peer.send(lowAll.for(link.peer));
      } else if (low) {
        const rest = this.rest(member, low, lowByKey);
        if (rest.size > 0) link.peer.send(rest.for(link.peer));
      }
    }
  }

  /** The low-rate moves outside the member's selection (it has those at full rate), per key. */
  private rest(
    member: Member,
    low: Map<number, Point | null>,
    byKey: Map<string, SharedFrame>,
  ): SharedFrame {
    const viewer = { view: member.user.view, follow: member.follow };
    const key = viewerKey(viewer);
    let frame = byKey.get(key);
    if (!frame) {
      const sent = this.sentByKey.get(key);
      // Same object: the very position a full-rate frame of this key carried.
      frame = new SharedFrame(
        toMoves(low).filter(({ id, at }) => sent?.get(id) !== at && this.sentAll.get(id) !== at),
      );
      byKey.set(key, frame);
    }
    return frame;
  }

  /** This tick's moves that the member's selection takes, shared by all with the same key. */
  private selected(
    member: Member,
    moves: Map<number, Point | null>,
    byKey: Map<string, SharedFrame>,
  ): SharedFrame {
    const viewer = { view: member.user.view, follow: member.follow };
    const key = viewerKey(viewer);
    let frame = byKey.get(key);
    if (!frame) {
      const picked = pick(moves, this.interest(this.clock()).select(viewer));
      frame = new SharedFrame(picked);
      byKey.set(key, frame);
      let sent = this.sentByKey.get(key);
      if (!sent) {
        sent = new Map();
        this.sentByKey.set(key, sent);
      }
      for (const { id, at } of picked) sent.set(id, at);
    }
    return frame;
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
