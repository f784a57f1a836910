import type { CursorUpdate, Point } from '@cursorline/protocol';
import type { Member } from './member.ts';

/**
 * The low rate, spread over its interval. Every recipient gets its low-rate frame once every
 * `lowRateMs` (PROTOCOL.md, interest), but not all on the same tick: recipients are split into
 * groups by id, one group per tick of the interval, and each group has its own moment. Sent all
 * at once, the low pass of an audience of 10,000 (a rest frame for every active recipient, the
 * whole room for every idle one) was several thousand extra writes in one tick, once a second:
 * that tick ran long, and every move that arrived meanwhile waited for it (the latency p99).
 * Spread out, each tick carries its share.
 *
 * One clock per source of moves: this node's users (served on our tick), and each other node's
 * users (served when that node's batch arrives, like its full-rate cursors, so the rest of a
 * remote user is as fresh as the rest of a local one).
 *
 * The interval can stretch (`stretch` below, see `lowRateStretch`): in a room where more people
 * move than a recipient's low-rate budget, a low-rate frame every second would grow with the room
 * (10,000 movers: 80 KB/s of them alone), so each group's next moment moves further out instead.
 */
export class LowRateClock {
  /** When each group's next low-rate frame is due (monotonic ms). */
  private readonly dueAt: Float64Array;
  /** The move counter when each group last got one: it is owed whoever moved after that. */
  private readonly marks: Float64Array;
  /** The stretch the groups' moments were set with. */
  private stretch = 1;

  constructor(
    readonly groups: number,
    private readonly intervalMs: number,
    start: number,
    seq: number,
  ) {
    this.dueAt = new Float64Array(groups);
    this.marks = new Float64Array(groups).fill(seq);
    for (let g = 0; g < groups; g++) this.dueAt[g] = start + (g * intervalMs) / groups;
  }

  /**
   * The groups due at `now` (at least `lateMs` late), each with the mark it had; they are rearmed
   * for their next moment and marked at `seq`. Undefined when none is due.
   */
  due(now: number, seq: number, lateMs = 0, stretch = 1): Map<number, number> | undefined {
    if (stretch < this.stretch) {
      // The room calmed down: bring the waits in by as much, keeping the groups spread out.
      const shrink = stretch / this.stretch;
      for (let g = 0; g < this.groups; g++) {
        const wait = (this.dueAt[g] ?? now) - now;
        if (wait > 0) this.dueAt[g] = now + wait * shrink;
      }
    }
    this.stretch = stretch;
    const intervalMs = this.intervalMs * stretch;
    let due: Map<number, number> | undefined;
    for (let g = 0; g < this.groups; g++) {
      const at = this.dueAt[g] ?? 0;
      if (now < at + lateMs) continue;
      due ??= new Map();
      due.set(g, this.marks[g] ?? 0);
      this.marks[g] = seq;
      // Keep the group's moment in the interval; after a long pause, the next one from now.
      const next = at + intervalMs;
      this.dueAt[g] = next > now ? next : now + intervalMs;
    }
    return due;
  }
}

/**
 * How much longer than `lowRateMs` the low rate's interval is, so that a recipient gets at most
 * `budget` low-rate cursors a second: 1 while the rest of the room (the movers beyond the K at
 * full rate) fits the budget, else in proportion. A room of 2,000 movers refreshes the rest about
 * every 2 s, one of 10,000 about every 10 s: each cursor less often, the downlink the same.
 */
export function lowRateStretch(
  movers: number,
  k: number,
  budgetPerSecond: number,
  lowRateMs: number,
): number {
  const perInterval = (budgetPerSecond * lowRateMs) / 1000;
  return Math.max(1, (movers - k) / perInterval);
}

/** Which low-rate group a recipient is in. */
export const lowGroupOf = (member: Member, groups: number): number => member.user.id % groups;

/**
 * What the full-rate frames carried lately, per selection key (and EVERYONE for the frames all
 * recipients got): so a low-rate frame can leave out the very positions (same object) a recipient
 * already has. Two generations of one interval each, so whatever a group got at full rate since
 * its last low-rate frame is remembered, and nothing older is kept.
 */
export class Carried {
  static readonly EVERYONE = '*';
  private current = new Map<string, Map<number, Point | null>>();
  private previous = new Map<string, Map<number, Point | null>>();
  private rotatedAt: number;

  constructor(
    private readonly intervalMs: number,
    start: number,
  ) {
    this.rotatedAt = start;
  }

  note(key: string, id: number, at: Point | null): void {
    let sent = this.current.get(key);
    if (!sent) {
      sent = new Map();
      this.current.set(key, sent);
    }
    sent.set(id, at);
  }

  /** Whether a full-rate frame of this key (or to everyone) carried exactly this position. */
  has(key: string, id: number, at: Point | null): boolean {
    for (const generation of [this.current, this.previous]) {
      if (generation.get(key)?.get(id) === at) return true;
      if (generation.get(Carried.EVERYONE)?.get(id) === at) return true;
    }
    return false;
  }

  /** Called every tick: starts a new generation once an interval (as stretched) has passed. */
  age(now: number, stretch = 1): void {
    if (now - this.rotatedAt < this.intervalMs * stretch) return;
    this.rotatedAt = now;
    this.previous = this.current;
    this.current = new Map();
  }
}

/**
 * One low pass: for each group due, the users of one source who moved since the group's mark,
 * with their newest position, collected in one walk over the room.
 */
export function movedSince(
  members: Iterable<Member>,
  source: string | null,
  marks: ReadonlyMap<number, number>,
): Map<number, CursorUpdate[]> {
  const out = new Map<number, CursorUpdate[]>();
  let oldest = Number.POSITIVE_INFINITY;
  for (const mark of marks.values()) oldest = Math.min(oldest, mark);
  for (const m of members) {
    if (m.remote !== source || m.movedSeq <= oldest) continue;
    for (const [group, mark] of marks) {
      if (m.movedSeq <= mark) continue;
      let list = out.get(group);
      if (!list) {
        list = [];
        out.set(group, list);
      }
      list.push({ id: m.user.id, at: m.user.at });
    }
  }
  return out;
}
