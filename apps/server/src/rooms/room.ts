import type {
  Point,
  PresenceState,
  RelayedMessage,
  ServerJson,
  UserState,
} from '@cursorline/protocol';
import type { RoomEvent } from '../backplane/backplane.ts';
import type { ServerConfig } from '../config.ts';
import { pickColor } from './colors.ts';
import { CursorFanout } from './cursor-fanout.ts';
import { type Link, type Member, newMember } from './member.ts';
import { RoomPresence } from './presence.ts';
import { RemoteUsers, type RoomParts } from './remote-users.ts';

export type { Link, Member } from './member.ts';

export type RoomOptions = Pick<
  ServerConfig,
  | 'fanout'
  | 'tickMs'
  | 'softBufferBytes'
  | 'hardBufferBytes'
  | 'maxBehindMs'
  | 'interestK'
  | 'lowRateMs'
  | 'lowRateBudget'
  | 'snapshotUsers'
>;

/** Counters shared by all rooms of a server (read by metrics and tests). */
export interface RoomStats {
  /** Cursor frames not sent because the recipient's buffer was over the soft limit. */
  framesSkipped: number;
  /** Recipients disconnected for being too slow. */
  slowDisconnects: number;
}

/**
 * One room: who is here and what others see of them. It does not know which transport anyone
 * came by; it only asks each Connection which format it takes and how much it has queued.
 *
 * The room is the one object the rest of the server talks to (the registry, the session's
 * message handlers, the demo bots); the work is done by one part per job, each in its own file:
 *
 * - presence.ts: membership and presence (joins, leaves, names, states, pointers, views; the
 *   `changes` frames, the snapshot in `welcome`, the `who` roster);
 * - cursor-fanout.ts: the cursor path (latest wins per tick, interest, the low rate,
 *   backpressure, and the tutorial's `FANOUT=per-move`);
 * - remote-users.ts: the copies of other nodes' users, applied from their events;
 * - colors.ts: which colour a newcomer gets.
 *
 * What is left here is what crosses those jobs: a member arriving, coming back, leaving or
 * changing node touches presence, the cursor path and the other nodes at once. Chat and
 * reactions (any relayed message) go out at once; everything else is recorded and sent on the
 * tick (flush).
 */
export class Room implements RoomParts {
  readonly presence: RoomPresence;
  readonly fanout: CursorFanout;
  private readonly remote: RemoteUsers;

  constructor(
    readonly name: string,
    options: RoomOptions,
    stats: RoomStats = { framesSkipped: 0, slowDisconnects: 0 },
    private readonly publish: (event: RoomEvent) => void = () => {},
    /** Monotonic: a wall-clock step must not make anyone look behind (or never behind). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.presence = new RoomPresence(name, options, publish, () =>
      this.fanout.interest(this.clock()).select({ view: null, follow: null }),
    );
    this.remote = new RemoteUsers(this);
    this.fanout = new CursorFanout(
      this.presence.members,
      options,
      stats,
      publish,
      () => this.remote.count > 0,
      clock,
    );
  }

  get size(): number {
    return this.presence.size;
  }

  /** Users connected to this node. */
  get localSize(): number {
    return this.presence.size - this.remote.count;
  }

  localUsers(): UserState[] {
    return [...this.presence.members.values()].filter((m) => m.remote === null).map((m) => m.user);
  }

  /** Adds a user and sends them the snapshot; the others hear of it on the next presence frame. */
  add(link: Link, id: number, name: string, resume: string, bot = false): Member {
    const user: UserState = {
      ...(bot ? { bot: true as const } : {}),
      id,
      name,
      color: pickColor([...this.presence.members.values()].map((m) => m.user)),
      at: null,
      state: 'active',
      pointer: { kind: 'mouse', pressed: false },
      view: null,
    };
    const member = newMember(user, null, link);
    this.presence.welcome(member, resume, false);
    this.presence.arrive(member);
    this.publish({ t: 'join', user });
    return member;
  }

  /** A dropped user came back in time: same id, color and name; the others see no leave. */
  reattach(member: Member, link: Link, resume: string): void {
    member.link = link;
    member.behindSince = undefined;
    this.fanout.settle(member);
    this.presence.welcome(member, resume, true);
    if (member.user.state === 'offline') this.setState(member, 'active');
  }

  /**
   * A user who dropped from another node resumes here: the same member (the others see it come
   * back, never a leave and a join), now this node's. The old node is told to let go of it.
   */
  adopt(link: Link, held: UserState, from: string, resume: string): Member {
    let member = this.presence.members.get(held.id);
    if (member && member.remote !== null) {
      this.remote.takeOver(member);
      member.link = link;
    } else if (!member) {
      member = newMember({ ...held }, null, link);
      this.presence.arrive(member);
    }
    this.presence.welcome(member, resume, true);
    this.publish({ t: 'adopt', user: member.user, from });
    this.setState(member, 'active');
    return member;
  }

  /** Our dropped user resumed on another node: it stays in the room, as that node's. */
  handOver(member: Member, node: string): void {
    if (member.remote !== null || this.presence.members.get(member.user.id) !== member) return;
    this.remote.handOver(member, node);
    this.fanout.settle(member);
  }

  /** The connection dropped: keep the user (and their cursor) shown as offline for now. */
  detach(member: Member): void {
    member.link = null;
    this.fanout.settle(member);
    this.setState(member, 'offline');
  }

  move(member: Member, at: Point | null): void {
    this.fanout.move(member, at);
  }

  follow(member: Member, id: number | null): void {
    member.follow = id;
  }

  rename(member: Member, name: string): void {
    this.presence.rename(member, name);
  }

  setState(member: Member, state: PresenceState): void {
    const was = this.presence.setState(member, state);
    // Back from hidden or idle: it missed cursors (or got them at a low rate), so it is owed a
    // catch-up frame of everyone's position on the next tick.
    if (was !== state && member.link && state === 'active' && (was === 'away' || was === 'idle')) {
      this.fanout.owe(member);
    }
  }

  setPointer(member: Member, pointer: UserState['pointer']): void {
    this.presence.setPointer(member, pointer);
  }

  setView(member: Member, view: NonNullable<UserState['view']>): void {
    this.presence.setView(member, view);
  }

  /** Relayed messages (chat, reactions) are moments, not state: to the others at once, not kept. */
  relay(member: Member, msg: RelayedMessage): void {
    this.fanout.markHot(member);
    this.presence.broadcast({ ...msg, id: member.user.id }, member.user.id);
    if (member.remote === null) this.publish({ t: 'relay', id: member.user.id, msg });
  }

  /** Removes a user (the others hear on the next presence frame); safe to call twice. */
  remove(member: Member): void {
    if (!this.presence.depart(member)) return;
    this.fanout.forget(member);
    if (!this.remote.departed(member)) this.publish({ t: 'leave', id: member.user.id });
  }

  /** A page of users for `who`: those asked for by id, or the next ones in id order. */
  roster(ids: readonly number[] | undefined, after: number | undefined, limit: number): ServerJson {
    return this.presence.roster(ids, after, limit);
  }

  /** Applies what another node published about its users in this room. */
  apply(event: RoomEvent, node: string): void {
    this.remote.apply(event, node);
  }

  /** A node is gone: so are its users (only those still offline, when `only` says so). */
  removeNode(node: string, only?: 'offline'): void {
    this.remote.removeNode(node, only);
  }

  /** A node stopped answering: show its users offline here (the node cannot say so itself). */
  nodeLost(node: string): void {
    this.remote.nodeLost(node);
  }

  /** Sends every presence and cursor change since the last tick. Does nothing when nothing changed. */
  flush(): void {
    const now = this.clock();
    this.presence.flush(now);
    this.fanout.flush(now);
  }
}
