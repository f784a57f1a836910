import {
  CloseCode,
  type CursorUpdate,
  encodeBatchBinary,
  encodeBatchText,
  encodeJson,
  PALETTE,
  type Point,
  PROTOCOL_VERSION,
  type ServerJson,
  type User,
  type UserState,
} from '@cursorline/protocol';
import type { ServerConfig } from '../config.ts';
import type { Peer } from '../transports/transport.ts';

export interface Member {
  readonly user: User;
  at: Point | null;
  readonly peer: Peer;
  /** Ends this member's connection (the session removes it from the room at once). */
  readonly kick: (code: number, reason: string) => void;
  /** When it first went over the soft buffer limit, if it still is. */
  behindSince: number | undefined;
}

export type RoomOptions = Pick<
  ServerConfig,
  'fanout' | 'softBufferBytes' | 'hardBufferBytes' | 'maxBehindMs'
>;

/** Counters shared by all rooms of a server (read by /healthz and tests). */
export interface RoomStats {
  /** Cursor frames not sent because the recipient's buffer was over the soft limit. */
  framesSkipped: number;
  /** Recipients disconnected for being too slow. */
  slowDisconnects: number;
}

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
 * One room: who is here and where their cursors are. It does not know which transport anyone
 * came by; it only asks each Peer which format it takes and how much it has queued.
 *
 * Presence changes (join, leave, rename) go out at once. Cursor moves do not: a move only
 * records the newest position (latest wins), and flush() sends everything that changed since
 * the last tick as one frame per recipient, encoded once per format for the whole room.
 * That turns the tutorial's N² frames per move into N frames per tick.
 */
export class Room {
  private readonly members = new Map<number, Member>();
  private readonly changed = new Map<number, Point | null>();
  /** Members skipped on a tick because their buffer was full: each is owed every position. */
  private readonly stale = new Set<Member>();

  constructor(
    readonly name: string,
    private readonly options: RoomOptions,
    private readonly stats: RoomStats = { framesSkipped: 0, slowDisconnects: 0 },
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** Adds a user, sends them the snapshot of everyone already here, and tells the others. */
  add(peer: Peer, id: number, name: string, kick: Member['kick']): Member {
    const user = { id, name, color: this.pickColor() };
    const member: Member = { user, at: null, peer, kick, behindSince: undefined };
    peer.send(
      encodeJson({
        t: 'welcome',
        v: PROTOCOL_VERSION,
        room: this.name,
        self: user,
        users: this.snapshot(),
      }),
    );
    this.members.set(id, member);
    this.broadcast({ t: 'join', user: { ...user, at: null } }, id);
    return member;
  }

  move(member: Member, at: Point | null): void {
    member.at = at;
    if (this.options.fanout === 'per-move') {
      this.sendCursors(new SharedFrame([{ id: member.user.id, at }]), member.user.id);
      return;
    }
    this.changed.set(member.user.id, at);
  }

  rename(member: Member, name: string): void {
    if (member.user.name === name) return;
    member.user.name = name;
    this.broadcast({ t: 'rename', id: member.user.id, name });
  }

  /** Removes a user and tells the others; safe to call twice. */
  remove(member: Member): void {
    const id = member.user.id;
    if (this.members.get(id) !== member) return;
    this.members.delete(id);
    this.changed.delete(id);
    this.stale.delete(member);
    this.broadcast({ t: 'leave', id });
  }

  /** Sends every cursor change since the last tick. Does nothing when nothing changed. */
  flush(): void {
    if (this.changed.size === 0 && this.stale.size === 0) return;
    const moves: CursorUpdate[] = [];
    for (const [id, at] of this.changed) moves.push({ id, at });
    this.changed.clear();
    // Nobody else moved: the mover has nothing new to learn.
    const onlyMover = moves.length === 1 ? moves[0]?.id : undefined;
    this.sendCursors(new SharedFrame(moves), onlyMover);
  }

  snapshot(): UserState[] {
    return [...this.members.values()].map(({ user, at }) => ({ ...user, at }));
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
    const now = Date.now();
    for (const member of this.members.values()) {
      const owed = this.stale.has(member);
      if (member.user.id === exceptId && !owed) continue;
      const queued = member.peer.bufferedBytes();
      if (queued > softBufferBytes) {
        member.behindSince ??= now;
        this.stale.add(member);
        this.stats.framesSkipped++;
        if (queued > hardBufferBytes || now - member.behindSince > maxBehindMs) {
          this.stats.slowDisconnects++;
          member.kick(CloseCode.TryAgainLater, 'too slow to keep up');
        }
        continue;
      }
      member.behindSince = undefined;
      if (owed) {
        this.stale.delete(member);
        full ??= new SharedFrame(this.positions());
        member.peer.send(full.for(member.peer));
      } else if (delta.size > 0) {
        member.peer.send(delta.for(member.peer));
      }
    }
  }

  private positions(): CursorUpdate[] {
    return [...this.members.values()].map(({ user, at }) => ({ id: user.id, at }));
  }

  private broadcast(msg: ServerJson, exceptId?: number): void {
    const frame = encodeJson(msg);
    for (const { peer, user } of this.members.values()) {
      if (user.id !== exceptId) peer.send(frame);
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
