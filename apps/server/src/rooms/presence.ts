import {
  encodeJson,
  PROTOCOL_VERSION,
  type PresenceState,
  type ServerJson,
  type UserChange,
  type UserState,
  type Welcome,
} from '@cursorline/protocol';
import type { RoomEvent } from '../backplane/backplane.ts';
import type { Member } from './member.ts';
import type { RoomOptions } from './room.ts';

/** In a big room, a presence frame lists at most this many arrivals in full (the rest: count). */
const JOINED_LISTED = 20;
/** ...and at most this many changes; the rest wait for the next frame (latest wins meanwhile). */
const CHANGES_PER_FRAME = 200;

/**
 * Membership and presence of one room: who is here (this node's users and copies of other
 * nodes'), what everyone sees of them, and the `changes` frames that tell the others. It exists
 * apart from the cursor path because presence has its own rhythm: a change is recorded (latest
 * wins) and goes out at most once per tick, or at the low rate in a big room, while cursors
 * follow interest.
 *
 * It also answers the two questions "who is here" takes on the wire: the snapshot in `welcome`
 * and the roster pages of `who`.
 */
export class RoomPresence {
  /** Everyone in the room, by id. The other jobs of the room read it; only this class adds and removes. */
  readonly members = new Map<number, Member>();
  /** Presence since the last presence frame (latest wins). */
  private readonly pending = new Map<number, UserChange>();
  private readonly joined = new Map<number, Member>();
  private readonly left = new Set<number>();
  private lastPresenceAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly name: string,
    private readonly options: Pick<RoomOptions, 'lowRateMs' | 'snapshotUsers'>,
    private readonly publish: (event: RoomEvent) => void,
    /** In a big room, who a snapshot lists first (the most recently active, from interest). */
    private readonly mostActive: () => readonly number[],
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** Whether the room is past the snapshot bound (then presence is bounded and low-rate). */
  get big(): boolean {
    return this.members.size > this.options.snapshotUsers;
  }

  /**
   * A new member; the others hear of it on the next presence frame. A copy of another node's
   * user may come back in the tick it left (its node re-listed it): then it is not listed as gone.
   */
  arrive(member: Member, relisted = false): void {
    this.members.set(member.user.id, member);
    if (relisted) this.left.delete(member.user.id);
    this.joined.set(member.user.id, member);
  }

  /** Takes a member out; false if it was not (or no longer) this room's. */
  depart(member: Member): boolean {
    const id = member.user.id;
    if (this.members.get(id) !== member) return false;
    this.members.delete(id);
    this.pending.delete(id);
    this.joined.delete(id);
    // Listed even if its arrival was never sent: a newcomer's snapshot may have named it.
    this.left.add(id);
    return true;
  }

  rename(member: Member, name: string): void {
    if (member.user.name === name) return;
    member.user.name = name;
    this.changed(member, { name });
  }

  /** Returns the state it had, so the room can tell a return from hidden or idle. */
  setState(member: Member, state: PresenceState): PresenceState {
    const was = member.user.state;
    if (was === state) return was;
    member.user.state = state;
    this.changed(member, { state });
    return was;
  }

  setPointer(member: Member, pointer: UserState['pointer']): void {
    const now = member.user.pointer;
    if (now.kind === pointer.kind && now.pressed === pointer.pressed) return;
    member.user.pointer = pointer;
    this.changed(member, { pointer });
  }

  setView(member: Member, view: NonNullable<UserState['view']>): void {
    member.user.view = view;
    this.changed(member, { view });
  }

  /** Records a presence change for the next presence frame (sent with the newest value only). */
  private changed(member: Member, change: Omit<UserChange, 'id'>): void {
    const id = member.user.id;
    if (this.joined.has(id)) return; // the arrival will carry the whole, newest state
    const entry = this.pending.get(id);
    if (entry) Object.assign(entry, change);
    else this.pending.set(id, { id, ...change });
  }

  /** A page of users for `who`: those asked for by id, or the next ones in id order. */
  roster(ids: readonly number[] | undefined, after: number | undefined, limit: number): ServerJson {
    const count = this.members.size;
    if (ids) return { t: 'roster', users: this.usersOf(ids), next: null, count };
    const from = after ?? 0;
    const sorted = [...this.members.keys()].filter((id) => id > from).sort((a, b) => a - b);
    const page = sorted.slice(0, limit);
    const next = sorted.length > limit ? (page.at(-1) ?? null) : null;
    return { t: 'roster', users: this.usersOf(page), next, count };
  }

  private usersOf(ids: Iterable<number>): UserState[] {
    return [...ids].flatMap((id) => {
      const m = this.members.get(id);
      return m ? [m.user] : [];
    });
  }

  /**
   * One `changes` frame for everyone here (the changer too: it confirms their own name), and one
   * `update` per changed local user for the other nodes. In a big room it goes at the low rate,
   * lists only the newest arrivals in full (the rest are in `count`; pages through `who`), and
   * carries at most CHANGES_PER_FRAME changes (the rest wait for the next one).
   */
  flush(now: number): void {
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
   * The snapshot: everyone else, or in a big room a bounded few: the most recently active
   * (moving or chatting) first, then the earliest arrivals; `count` says how many there are in all.
   */
  welcome(member: Member, resume: string, resumed: boolean): void {
    const { id, name, color } = member.user;
    const others = this.members.size - (this.members.get(id) === member ? 1 : 0);
    let users: UserState[];
    if (!this.big) {
      users = [...this.members.values()].filter((m) => m !== member).map((m) => m.user);
    } else {
      const limit = this.options.snapshotUsers;
      const chosen = new Set<number>(this.mostActive());
      for (const key of this.members.keys()) {
        if (chosen.size >= limit) break;
        chosen.add(key);
      }
      chosen.delete(id);
      users = this.usersOf(chosen);
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
    member.link?.connection.send(encodeJson(msg));
  }

  /** To everyone connected here (moments like chat, and the presence frames). */
  broadcast(msg: ServerJson, exceptId?: number): void {
    const frame = encodeJson(msg);
    for (const { link, user } of this.members.values()) {
      if (link && user.id !== exceptId) link.connection.send(frame);
    }
  }
}
