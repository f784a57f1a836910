import {
  CloseCode,
  type CursorUpdate,
  encodeBatchBinary,
  encodeBatchText,
  type Point,
} from '@cursorline/protocol';
import type { RoomEvent } from '../backplane/backplane.ts';
import type { Connection } from '../transports/transport.ts';
import { type Candidate, InterestIndex, type Viewer, viewerKey } from './interest.ts';
import { Carried, LowRateClock, lowGroupOf, lowRateStretch, movedSince } from './low-rate.ts';
import type { Member } from './member.ts';
import type { RoomOptions, RoomStats } from './room.ts';

/** A user who moved within this long is a candidate for full rate. */
const ACTIVE_MS = 3000;
/** A pause longer than this ends a streak of moves (the next move starts a new, newer one). */
const STREAK_GAP_MS = 1000;
/** Chatting or reacting makes a user interesting to everyone for this long. */
const HOT_MS = 5000;
/** Selections are recomputed this often, not every tick: interest changes slower than cursors. */
const INTEREST_REFRESH_MS = 200;

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
  for(connection: Connection): Uint8Array<ArrayBuffer> | string {
    if (connection.format === 'binary') {
      this.binary ??= encodeBatchBinary(this.moves);
      return this.binary;
    }
    this.text ??= encodeBatchText(this.moves);
    return this.text;
  }
}

/**
 * One low pass: the groups due now of one source (this node's users, or another node's), what
 * each is owed, and the frames built from it, shared per group (and per selection key).
 */
class LowPass {
  private readonly all = new Map<number, SharedFrame>();
  private readonly rest = new Map<string, SharedFrame>();

  constructor(
    private readonly owed: Map<number, CursorUpdate[]>,
    private readonly groups: number,
  ) {}

  /** Whether this member's group is due in this pass (and owed anything). */
  has(member: Member): boolean {
    return this.owed.has(lowGroupOf(member, this.groups));
  }

  /** Everything the member's group is owed (for idle recipients). */
  allFor(member: Member): SharedFrame {
    const group = lowGroupOf(member, this.groups);
    let frame = this.all.get(group);
    if (!frame) {
      frame = new SharedFrame(this.owed.get(group) ?? []);
      this.all.set(group, frame);
    }
    return frame;
  }

  /** What the member's group is owed, less what full-rate frames of its key already carried. */
  restFor(member: Member, key: string, carried: Carried): SharedFrame {
    const group = lowGroupOf(member, this.groups);
    const id = `${group} ${key}`;
    let frame = this.rest.get(id);
    if (!frame) {
      const owed = this.owed.get(group) ?? [];
      frame = new SharedFrame(owed.filter((u) => !carried.has(key, u.id, u.at)));
      this.rest.set(id, frame);
    }
    return frame;
  }
}

/**
 * The cursor path of one room, from a recorded move to the frames each recipient gets. It exists
 * apart from presence because it is the hot path and has its own rules:
 *
 * - latest wins: a move only records the newest position, and the tick sends what changed, one
 *   shared frame per selection (encoded once per format however many recipients take it);
 * - interest (interest.ts): a recipient gets at most K cursors a tick, those it is likely looking
 *   at, and the whole room's changes every `lowRateMs`. An idle recipient gets only the low-rate
 *   frames, a hidden one (away) nothing until it is back (then one catch-up frame);
 * - backpressure: a recipient that is not draining is skipped, then caught up, or cut off;
 * - `FANOUT=per-move`, the tutorial's design kept runnable for comparison: every move goes to
 *   everyone at once, no tick, no interest.
 *
 * This node's users' moves are also published for the other nodes once per tick, and another
 * node's batch is forwarded to our users as soon as it arrives (forward), so cross-node costs no
 * extra tick.
 */
export class CursorFanout {
  /** Cursor moves of this node's users since the last tick (latest wins). */
  private readonly changed = new Map<number, Point | null>();
  /** This node's users' moves since the last tick, for the other nodes. */
  private readonly localChanged = new Map<number, Point | null>();
  /** Counts moves: a low-rate group is owed whoever moved after its mark (Member.movedSeq). */
  private moveSeq = 0;
  /** The low rate's moments, per source: null for this node's users, else the node's id. */
  private readonly lowClocks = new Map<string | null, LowRateClock>();
  /** Recipients are spread over this many low-rate groups: one per tick of the interval. */
  private readonly lowGroups: number;
  /**
   * What full-rate frames carried lately, per selection key: a low-rate frame then leaves out
   * exactly what that key already has (a position that changed while its owner was outside the
   * selection is still sent, whatever the selection is now).
   */
  private readonly carried: Carried;
  private interestIndex: InterestIndex | undefined;
  private interestAt = Number.NEGATIVE_INFINITY;
  /** Members owed everyone's position in one frame: skipped for backpressure, or back from away. */
  private readonly stale = new Set<Member>();

  constructor(
    private readonly members: ReadonlyMap<number, Member>,
    private readonly options: RoomOptions,
    private readonly stats: RoomStats,
    private readonly publish: (event: RoomEvent) => void,
    /** Whether other nodes have users in the room (only then do they need our moves). */
    private readonly othersListen: () => boolean,
    private readonly clock: () => number,
  ) {
    this.lowGroups = Math.max(1, Math.round(options.lowRateMs / options.tickMs));
    this.carried = new Carried(options.lowRateMs, clock());
  }

  /** A move by a member of this room (local, or one the remote-users copy applied). */
  move(member: Member, at: Point | null): void {
    this.record(member, at);
    // Other nodes need our users' moves only while they have users here themselves.
    if (member.remote === null && this.othersListen()) this.localChanged.set(member.user.id, at);
    if (this.options.fanout === 'per-move') {
      this.sendCursors(new Map([[member.user.id, at]]), undefined, member.user.id);
      return;
    }
    this.changed.set(member.user.id, at);
  }

  /** The newest position, and the activity that interest ranks by. */
  record(member: Member, at: Point | null): void {
    const now = this.clock();
    member.user.at = at;
    if (now - member.lastMoveAt > STREAK_GAP_MS) member.activeSince = now;
    member.lastMoveAt = now;
    member.movedSeq = ++this.moveSeq;
  }

  /**
   * Another node's batch (already recorded): to our users now, not on our next tick; with it,
   * the low-rate frames of that node's users that are due.
   */
  forward(moves: Map<number, Point | null>, node: string): void {
    const low = this.lowPass(node, this.clock());
    if (moves.size > 0 || low) this.sendCursors(moves, low, undefined);
  }

  /** Chatting or reacting: interesting to everyone for a while. */
  markHot(member: Member): void {
    member.hotUntil = this.clock() + HOT_MS;
  }

  /** The member is owed a catch-up frame of everyone's position on the next tick. */
  owe(member: Member): void {
    this.stale.add(member);
  }

  /** The member's connection changed or went: it is owed nothing any more. */
  settle(member: Member): void {
    this.stale.delete(member);
  }

  /** The member left the room: nothing of theirs is sent any more. */
  forget(member: Member): void {
    const id = member.user.id;
    this.changed.delete(id);
    this.localChanged.delete(id);
    this.stale.delete(member);
  }

  /** Sends every cursor change since the last tick. Does nothing when nothing changed. */
  flush(now: number): void {
    if (this.localChanged.size > 0) {
      // Other nodes only need our users' moves, and only if they have users here.
      if (this.othersListen())
        this.publish({ t: 'cursors', batch: encodeBatchText(toMoves(this.localChanged)) });
      this.localChanged.clear();
    }
    this.carried.age(now, this.lowStretch());
    // Another node whose batches stopped coming (its users stopped moving) still owes our users
    // its users' last positions at the low rate: served here, a tick late, when no batch did it.
    for (const node of this.lowClocks.keys()) {
      if (node === null) continue;
      const late = this.lowPass(node, now, this.options.tickMs);
      if (late) this.sendCursors(new Map(), late, undefined);
    }
    const low = this.lowPass(null, now);
    if (this.changed.size === 0 && this.stale.size === 0 && !low) return;
    // Nobody else moved: the mover has nothing new to learn.
    const only = this.changed.size === 1 ? this.changed.keys().next().value : undefined;
    const moves = new Map(this.changed);
    this.changed.clear();
    this.sendCursors(moves, low, only);
  }

  /**
   * The low-rate groups of one source due now (`lateMs` late at least), with what each is owed;
   * undefined when none is due or nobody of that source moved since.
   */
  private lowPass(source: string | null, now: number, lateMs = 0): LowPass | undefined {
    let clock = this.lowClocks.get(source);
    if (!clock) {
      clock = new LowRateClock(this.lowGroups, this.options.lowRateMs, now, this.moveSeq);
      this.lowClocks.set(source, clock);
    }
    const marks = clock.due(now, this.moveSeq, lateMs, this.lowStretch());
    if (!marks) return undefined;
    const owed = movedSince(this.members.values(), source, marks);
    if (owed.size > 0) return new LowPass(owed, this.lowGroups);
    // A node none of whose users is here any more needs no clock.
    if (source !== null && !this.hasUsersOf(source)) this.lowClocks.delete(source);
    return undefined;
  }

  private hasUsersOf(node: string): boolean {
    for (const m of this.members.values()) if (m.remote === node) return true;
    return false;
  }

  /**
   * How far the low rate's interval is stretched, for the number of people moving: counted by
   * the newest selection (not a fresh one: a selection made while nobody moves would be reused
   * for the next 200 ms of moves).
   */
  private lowStretch(): number {
    const movers = this.interestIndex?.size ?? 0;
    const { interestK, lowRateBudget, lowRateMs } = this.options;
    return lowRateStretch(movers, interestK, lowRateBudget, lowRateMs);
  }

  /** The interest selections, recomputed at most every INTEREST_REFRESH_MS. */
  interest(now: number): InterestIndex {
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
    lowPass: LowPass | undefined,
    exceptId: number | undefined,
  ): void {
    const { softBufferBytes, hardBufferBytes, maxBehindMs } = this.options;
    const now = this.clock();
    const perMove = this.options.fanout === 'per-move';
    // Only when more people move than K does anyone need choosing (and the low-rate rest).
    const index = perMove || moves.size === 0 ? undefined : this.interest(now);
    const crowded = index !== undefined && index.size > this.options.interestK;
    const all = moves.size > 0 ? new SharedFrame(toMoves(moves)) : undefined;
    if (!crowded && !perMove)
      for (const [id, at] of moves) this.carried.note(Carried.EVERYONE, id, at);
    const byKey = new Map<string, SharedFrame>();
    let full: SharedFrame | undefined;
    for (const member of this.members.values()) {
      const link = member.link;
      if (!link) continue;
      // Whether this member's low-rate group is due in this pass (one group in ~25 per tick).
      const low = lowPass?.has(member) === true;
      const owed = this.stale.has(member);
      const state = member.user.state;
      // Hidden tab: nothing until it is back (then the catch-up, see setState).
      if (state === 'away' && !owed && !perMove) continue;
      let frame: SharedFrame | undefined;
      if (!owed) {
        if (member.user.id === exceptId && !low) continue;
        const idle = state === 'idle' && !perMove;
        if (!idle && member.user.id !== exceptId)
          frame = crowded
            ? this.perKey(member, byKey, (viewer, key) => this.selected(viewer, key, moves))
            : all;
        if (!frame?.size && !low) continue;
      }
      const queued = link.connection.bufferedBytes();
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
        link.connection.send(full.for(link.connection));
        continue;
      }
      if (frame && frame.size > 0) link.connection.send(frame.for(link.connection));
      // The low-rate frame: everything for the idle, for the others what their full-rate frames
      // did not carry (nothing at all while no more than K move).
      if (low && lowPass && state === 'idle') {
        link.connection.send(lowPass.allFor(member).for(link.connection));
      } else if (low && lowPass) {
        const key = viewerKey({ view: member.user.view, follow: member.follow });
        const rest = lowPass.restFor(member, key, this.carried);
        if (rest.size > 0) link.connection.send(rest.for(link.connection));
      }
    }
  }

  /**
   * The frame for everyone who shares the member's selection key (view cell and follow): built
   * once per key by `build`, then handed to every member with that key.
   */
  private perKey(
    member: Member,
    byKey: Map<string, SharedFrame>,
    build: (viewer: Viewer, key: string) => SharedFrame,
  ): SharedFrame {
    const viewer = { view: member.user.view, follow: member.follow };
    const key = viewerKey(viewer);
    let frame = byKey.get(key);
    if (!frame) {
      frame = build(viewer, key);
      byKey.set(key, frame);
    }
    return frame;
  }

  /** This tick's moves that one key's selection takes (and what that key has now been sent). */
  private selected(viewer: Viewer, key: string, moves: Map<number, Point | null>): SharedFrame {
    const picked = pick(moves, this.interest(this.clock()).select(viewer));
    for (const { id, at } of picked) this.carried.note(key, id, at);
    return new SharedFrame(picked);
  }

  private positions(): CursorUpdate[] {
    return [...this.members.values()].map(({ user }) => ({ id: user.id, at: user.at }));
  }
}
