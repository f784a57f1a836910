import { randomBytes, randomInt } from 'node:crypto';
import { CloseCode, TokenBucket } from '@cursorline/protocol';
import type { Backplane, RoomEvent } from '../backplane/backplane.ts';
import { InMemoryBackplane } from '../backplane/in-memory.ts';
import { type AdmissionOptions, type Refusal, SeatAdmission } from './admission.ts';
import type { Link, Member } from './member.ts';
import type { RoomOptions, RoomStats } from './room.ts';
import { Room } from './room.ts';

/** How long a dead node's users stay listed, offline, before they leave. */
const DEAD_NODE_GRACE_MS = 5000;

export interface Seat {
  room: Room;
  member: Member;
}

export interface RegistryOptions extends RoomOptions, AdmissionOptions {
  /** How long a dropped user is kept (shown offline) waiting to resume; 0 removes at once. */
  resumeGraceMs: number;
}

export type JoinResult = (Seat & { resumed: boolean }) | { refused: Refusal };

/**
 * All rooms of this server, and who holds which seat. Rooms are created on first join and
 * dropped when the last user leaves.
 *
 * Each seat has a secret resume token. A connection that drops (no goodbye, no clean close)
 * does not leave at once: its user stays, shown offline, for `resumeGraceMs`, and a new
 * connection presenting the token within that time takes the seat back. Others see the same
 * cursor continue, never a leave and a join.
 *
 * Rooms span nodes through the backplane: a node subscribes to a room while it has users there,
 * says hello when it arrives, answers other nodes' hellos with its users, drops the users of a
 * node that died, and resynchronises every room after a backplane outage.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly ids = new Set<number>();
  private readonly tokens = new Map<string, Seat>();
  private readonly tokenOf = new Map<Member, string>();
  private readonly graceTimers = new Map<Member, ReturnType<typeof setTimeout>>();
  /** The address each local seat is charged to (see SeatAdmission). */
  private readonly addressOf = new Map<Member, string>();
  private readonly admission: SeatAdmission;
  /** Goodbye beacons passed on to other nodes, for the whole node (see leaveAnywhere). */
  private readonly forwardedLeaves = new TokenBucket(100, 200);
  readonly stats: RoomStats = { framesSkipped: 0, slowDisconnects: 0 };

  constructor(
    private readonly options: RegistryOptions,
    private readonly backplane: Backplane = new InMemoryBackplane(),
  ) {
    this.admission = new SeatAdmission(options);
    backplane.start({
      event: (room, event, node) => this.onRemote(room, event, node),
      node: (event) => {
        if (event.t === 'leave') this.leaveByToken(event.token);
      },
      // A dead node's users are shown offline at once, then leave (unless it speaks again).
      nodeDown: (node) => {
        for (const room of this.rooms.values()) room.nodeLost(node);
        const timer = setTimeout(() => {
          for (const room of this.rooms.values()) room.removeNode(node, 'offline');
        }, DEAD_NODE_GRACE_MS);
        timer.unref();
      },
      reconnected: () => {
        for (const room of this.rooms.values()) this.announce(room);
      },
    });
  }

  /**
   * Takes a seat: the one the resume token names if it is still held for us, else a new one if
   * Admission allows (a resumed seat was charged when it was made).
   */
  join(roomName: string, link: Link, name: string, resume?: string, bot = false): JoinResult {
    const held = resume === undefined ? undefined : this.tokens.get(resume);
    if (held && held.room.name === roomName) {
      const { room, member } = held;
      const previous = member.link;
      clearTimeout(this.graceTimers.get(member));
      this.graceTimers.delete(member);
      if (resume !== undefined) this.backplane.seats?.drop(resume);
      const token = this.rememberToken(held);
      room.reattach(member, link, token);
      room.rename(member, name);
      // The old connection may still look alive (half-open): retire it. Its session sees the
      // seat has a newer link and does not take it away.
      previous?.kick(CloseCode.Replaced, 'resumed on another connection');
      return { ...held, resumed: true };
    }
    const address = link.connection.remoteAddress;
    const refused = this.admission.check(address, this.rooms.get(roomName)?.size);
    if (refused) return { refused };
    this.admission.take(address, !this.rooms.has(roomName));
    const room = this.roomFor(roomName);
    const token = newToken();
    const seat = { room, member: room.add(link, this.newId(), name, token, bot) };
    this.rememberToken(seat, token);
    this.addressOf.set(seat.member, address);
    return { ...seat, resumed: false };
  }

  /** Whether a resume token names a seat held on this node (else it may be on another). */
  holds(resume: string): boolean {
    return this.tokens.has(resume);
  }

  /** Whether dropped seats are shared with other nodes (so a resume may be found elsewhere). */
  get sharesSeats(): boolean {
    return this.backplane.seats !== undefined;
  }

  /**
   * Resume on this node a seat another node held for a dropped user: same id, color and name
   * for everyone. null when no node holds it (then the caller joins afresh).
   */
  async joinHeldElsewhere(
    roomName: string,
    link: Link,
    name: string,
    resume: string,
  ): Promise<JoinResult | null> {
    const held = await this.backplane.seats?.take(resume);
    if (!held || held.room !== roomName || held.node === this.backplane.nodeId) return null;
    if (this.ids.has(held.user.id)) return null; // an id already in use here: start afresh
    const address = link.connection.remoteAddress;
    const refused = this.admission.check(address, this.rooms.get(roomName)?.size);
    if (refused) return { refused };
    this.admission.take(address, !this.rooms.has(roomName));
    const room = this.roomFor(roomName);
    this.ids.add(held.user.id);
    const token = newToken();
    const seat = { room, member: room.adopt(link, held.user, held.node, token) };
    this.rememberToken(seat, token);
    this.addressOf.set(seat.member, address);
    room.rename(seat.member, name);
    return { ...seat, resumed: true };
  }

  /** The room, created (and subscribed to) on first use. */
  private roomFor(roomName: string): Room {
    const existing = this.rooms.get(roomName);
    if (existing) return existing;
    const publish = (event: RoomEvent) => this.backplane.publish(roomName, event);
    const created = new Room(roomName, this.options, this.stats, publish);
    this.rooms.set(roomName, created);
    // Once subscribed (so no answer is missed), ask the other nodes who they have here.
    void this.backplane.subscribe(roomName).then(() => {
      if (this.rooms.get(roomName) === created) this.announce(created);
    });
    return created;
  }

  /**
   * Leaves at once (goodbye, clean close, kicked, or grace over). Only the link that holds the
   * seat may do it; a link the seat has moved away from is ignored.
   */
  leave({ room, member }: Seat, link: Link | null): void {
    if (member.link !== link) return;
    this.release(member);
    room.remove(member);
    if (room.localSize === 0) {
      // Nobody here any more: the other nodes' users in it are none of our business now.
      this.rooms.delete(room.name);
      this.backplane.unsubscribe(room.name);
    }
  }

  /** Forgets this node's bookkeeping of a seat (timer, token, address, id). */
  private release(member: Member): void {
    clearTimeout(this.graceTimers.get(member));
    this.graceTimers.delete(member);
    const token = this.tokenOf.get(member);
    if (token !== undefined) this.backplane.seats?.drop(token);
    this.forgetToken(member);
    const address = this.addressOf.get(member);
    if (address !== undefined) this.admission.release(address);
    this.addressOf.delete(member);
    this.ids.delete(member.user.id);
  }

  /** Graceful shutdown: every local user leaves (so other nodes drop them now), then the backplane. */
  async closeAll(): Promise<void> {
    for (const [token, seat] of [...this.tokens]) {
      if (this.tokens.has(token)) this.leave(seat, seat.member.link);
    }
    await this.backplane.close();
  }

  /** The link dropped without a goodbye: hold the seat for the grace period. */
  drop(seat: Seat, link: Link): void {
    if (seat.member.link !== link) return;
    if (this.options.resumeGraceMs <= 0) {
      this.leave(seat, link);
      return;
    }
    seat.room.detach(seat.member);
    // Also where other nodes can find it: the user may come back through another node.
    const token = this.tokenOf.get(seat.member);
    if (token !== undefined) {
      const held = { room: seat.room.name, user: seat.member.user, node: this.backplane.nodeId };
      this.backplane.seats?.put(token, held, this.options.resumeGraceMs);
    }
    const timer = setTimeout(() => this.leave(seat, null), this.options.resumeGraceMs);
    timer.unref();
    this.graceTimers.set(seat.member, timer);
  }

  /**
   * The goodbye beacon on whichever node the balancer picked: leave here if the seat is ours,
   * else pass the token to the node that holds it. True when it was ours.
   */
  leaveAnywhere(token: string): boolean {
    if (this.leaveByToken(token)) return true;
    // Any well-formed token costs one message to every node: a flood of made-up tokens must not
    // turn into a flood on the backplane. Past the limit the beacon is dropped, and a real
    // leaver is removed by the resume grace instead.
    if (this.forwardedLeaves.take()) this.backplane.broadcast({ t: 'leave', token });
    return false;
  }

  /** For the page's goodbye beacon: leave now, by token. */
  leaveByToken(token: string): boolean {
    const seat = this.tokens.get(token);
    if (!seat) return false;
    const link = seat.member.link;
    this.leave(seat, link);
    link?.kick(CloseCode.Normal, 'left');
    return true;
  }

  private onRemote(roomName: string, event: RoomEvent, node: string): void {
    const room = this.rooms.get(roomName);
    if (!room) return;
    if (event.t === 'hello') {
      this.backplane.publish(roomName, { t: 'members', users: room.localUsers() });
    } else if (event.t === 'adopt' && event.from === this.backplane.nodeId) {
      // Our dropped user resumed on that node: let go of the seat, keep the user in the room.
      const member = this.memberById(room, event.user.id);
      if (member && member.link === null) {
        this.release(member);
        room.handOver(member, node);
        if (room.localSize === 0) {
          this.rooms.delete(room.name);
          this.backplane.unsubscribe(room.name);
        }
      }
    } else {
      room.apply(event, node);
    }
  }

  private memberById(room: Room, id: number): Member | undefined {
    for (const [member, token] of this.tokenOf) {
      if (member.user.id === id && this.tokens.get(token)?.room === room) return member;
    }
    return undefined;
  }

  /** Tells the other nodes who we have in a room, and asks who they have. */
  private announce(room: Room): void {
    this.backplane.publish(room.name, { t: 'members', users: room.localUsers() });
    this.backplane.publish(room.name, { t: 'hello' });
  }

  /** One server tick: every room sends what changed. A room that throws does not stop the rest. */
  flush(onError?: (err: unknown, room: string) => void): void {
    for (const room of this.rooms.values()) {
      try {
        room.flush();
      } catch (err) {
        onError?.(err, room.name);
      }
    }
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  get userCount(): number {
    return this.ids.size;
  }

  /** Random rather than sequential ids: they reveal nothing and stay unique across nodes. */
  private newId(): number {
    let id: number;
    do id = randomInt(1, 2 ** 32 - 1);
    while (this.ids.has(id));
    this.ids.add(id);
    return id;
  }

  /** Gives the seat a fresh token (a resumed seat's old one stops working). */
  private rememberToken(seat: Seat, token = newToken()): string {
    this.forgetToken(seat.member);
    this.tokens.set(token, seat);
    this.tokenOf.set(seat.member, token);
    return token;
  }

  private forgetToken(member: Member): void {
    const token = this.tokenOf.get(member);
    if (token !== undefined) this.tokens.delete(token);
    this.tokenOf.delete(member);
  }
}

/** 128 random bits, base64url: 22 characters. */
function newToken(): string {
  return randomBytes(16).toString('base64url');
}
