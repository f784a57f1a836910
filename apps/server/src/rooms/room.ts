import {
  type CursorUpdate,
  encodeBatchBinary,
  encodeBatchText,
  encodeJson,
  PALETTE,
  PROTOCOL_VERSION,
  type Point,
  type ServerJson,
  type User,
  type UserState,
} from '@cursorline/protocol';
import type { Peer } from '../transports/transport.ts';

export interface Member {
  readonly user: User;
  at: Point | null;
  readonly peer: Peer;
}

/**
 * One room: who is here and where their cursors are. It does not know which transport anyone
 * came by; it only asks each Peer which format it takes.
 *
 * Presence changes (join, leave, rename) go out at once. Cursor moves do not: a move only
 * records the newest position (latest wins), and flush() sends everything that changed since
 * the last tick as one frame per recipient, encoded once per format for the whole room.
 * That turns the tutorial's N² frames per move into N frames per tick.
 */
export class Room {
  private readonly members = new Map<number, Member>();
  private readonly changed = new Map<number, Point | null>();

  constructor(readonly name: string) {}

  get size(): number {
    return this.members.size;
  }

  /** Adds a user, sends them the snapshot of everyone already here, and tells the others. */
  add(peer: Peer, id: number, name: string): Member {
    const member: Member = { user: { id, name, color: this.pickColor() }, at: null, peer };
    peer.send(
      encodeJson({
        t: 'welcome',
        v: PROTOCOL_VERSION,
        room: this.name,
        self: member.user,
        users: this.snapshot(),
      }),
    );
    this.members.set(id, member);
    this.broadcast({ t: 'join', user: { ...member.user, at: null } }, id);
    return member;
  }

  move(member: Member, at: Point | null): void {
    member.at = at;
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
    this.broadcast({ t: 'leave', id });
  }

  /** Sends every cursor change since the last tick. Does nothing when nothing changed. */
  flush(): void {
    if (this.changed.size === 0) return;
    const moves: CursorUpdate[] = [];
    for (const [id, at] of this.changed) moves.push({ id, at });
    this.changed.clear();

    let binary: Uint8Array<ArrayBuffer> | undefined;
    let text: string | undefined;
    const onlyMover = moves.length === 1 ? moves[0]?.id : undefined;
    for (const { peer, user } of this.members.values()) {
      if (user.id === onlyMover) continue; // nobody else moved: nothing new for this user
      if (peer.format === 'binary') peer.send((binary ??= encodeBatchBinary(moves)));
      else peer.send((text ??= encodeBatchText(moves)));
    }
  }

  snapshot(): UserState[] {
    return [...this.members.values()].map(({ user, at }) => ({ ...user, at }));
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
