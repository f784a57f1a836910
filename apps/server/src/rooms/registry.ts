import { randomInt } from 'node:crypto';
import type { Peer } from '../transports/transport.ts';
import { type Member, Room, type RoomOptions, type RoomStats } from './room.ts';

export interface Seat {
  room: Room;
  member: Member;
}

/** All rooms of this server. Rooms are created on first join and dropped when the last user leaves. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly ids = new Set<number>();
  readonly stats: RoomStats = { framesSkipped: 0, slowDisconnects: 0 };

  constructor(private readonly options: RoomOptions) {}

  join(roomName: string, peer: Peer, name: string, kick: Member['kick']): Seat {
    let room = this.rooms.get(roomName);
    if (!room) {
      room = new Room(roomName, this.options, this.stats);
      this.rooms.set(roomName, room);
    }
    return { room, member: room.add(peer, this.newId(), name, kick) };
  }

  leave({ room, member }: Seat): void {
    room.remove(member);
    this.ids.delete(member.user.id);
    if (room.size === 0) this.rooms.delete(room.name);
  }

  /** One server tick: every room sends what changed. */
  flush(): void {
    for (const room of this.rooms.values()) room.flush();
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
}
