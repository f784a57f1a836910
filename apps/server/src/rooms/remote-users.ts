import {
  decodeBatchText,
  type Point,
  type RelayedMessage,
  type UserState,
} from '@cursorline/protocol';
import type { RoomEvent } from '../backplane/backplane.ts';
import type { CursorFanout } from './cursor-fanout.ts';
import { type Member, newMember } from './member.ts';
import type { RoomPresence } from './presence.ts';

/** What the copies of other nodes' users need of the room they are in. */
export interface RoomParts {
  readonly presence: RoomPresence;
  readonly fanout: CursorFanout;
  remove(member: Member): void;
  relay(member: Member, msg: RelayedMessage): void;
}

/**
 * Copies of other nodes' users in one room ("remote users"), with one owner. With several nodes,
 * a room here also lists the users whose connections are on other nodes, so our users see them;
 * everything we know of them comes from their node, over the backplane, and lands here. Nothing
 * else in the room writes a remote member's state or position, or moves a member between "ours"
 * and "another node's" (`Member.remote`): that is what this class is for, so a reader looking
 * for "why does this remote cursor sit here" has one file to read.
 *
 * Events are trusted only as far as their sender: a node may change only the users it owns
 * (an event about a user of another node is ignored).
 */
export class RemoteUsers {
  private remoteCount = 0;

  constructor(private readonly room: RoomParts) {}

  /** How many users of other nodes are in the room. */
  get count(): number {
    return this.remoteCount;
  }

  /** Applies what another node published about its users in this room. */
  apply(event: RoomEvent, node: string): void {
    const { presence, fanout } = this.room;
    switch (event.t) {
      case 'join':
      case 'update':
        this.upsert(event.user, node);
        break;
      case 'leave': {
        const member = presence.members.get(event.id);
        if (member?.remote === node) this.room.remove(member);
        break;
      }
      case 'relay': {
        const member = presence.members.get(event.id);
        if (member?.remote === node) this.room.relay(member, event.msg);
        break;
      }
      case 'cursors': {
        // Forwarded now, not on our next tick: the other node already waited for its own tick.
        const moves = new Map<number, Point | null>();
        for (const { id, at } of decodeBatchText(event.batch) ?? []) {
          const member = presence.members.get(id);
          if (member?.remote !== node) continue;
          fanout.record(member, at);
          moves.set(id, at);
        }
        fanout.forward(moves, node);
        break;
      }
      case 'members': {
        // The node's full list: drop what it no longer has, add or update the rest.
        const listed = new Set(event.users.map((u) => u.id));
        for (const member of [...presence.members.values()]) {
          if (member.remote === node && !listed.has(member.user.id)) this.room.remove(member);
        }
        for (const user of event.users) this.upsert(user, node);
        break;
      }
      case 'adopt': {
        // Another node took over a user it resumed: same member, new home. (The node that held
        // it is told by the registry, which also owns the seat's token.)
        const member = presence.members.get(event.user.id);
        if (member && member.remote === event.from) member.remote = node;
        break;
      }
      case 'hello':
        break; // answered by the registry, which knows how to publish
    }
  }

  /** A node is gone: so are its users (only those still offline, when `only` says so). */
  removeNode(node: string, only?: 'offline'): void {
    for (const member of [...this.room.presence.members.values()]) {
      if (member.remote !== node) continue;
      if (only === undefined || member.user.state === only) this.room.remove(member);
    }
  }

  /** A node stopped answering: show its users offline here (the node cannot say so itself). */
  nodeLost(node: string): void {
    for (const member of this.room.presence.members.values()) {
      if (member.remote === node) this.room.presence.setState(member, 'offline');
    }
  }

  /** Another node's user resumed here: from now on ours. */
  takeOver(member: Member): void {
    if (member.remote === null) return;
    member.remote = null;
    this.remoteCount--;
  }

  /** Our dropped user resumed on another node: it stays in the room, as that node's. */
  handOver(member: Member, node: string): void {
    member.link = null;
    member.remote = node;
    this.remoteCount++;
  }

  /** The member left the room; true if it was a copy of another node's user. */
  departed(member: Member): boolean {
    if (member.remote === null) return false;
    this.remoteCount--;
    return true;
  }

  private upsert(user: UserState, node: string): void {
    const { presence } = this.room;
    const member = presence.members.get(user.id);
    if (!member) {
      presence.arrive(newMember({ ...user }, node, null), true);
      this.remoteCount++;
      return;
    }
    if (member.remote !== node) return; // an id another node also uses: keep the first
    presence.rename(member, user.name);
    presence.setState(member, user.state);
    presence.setPointer(member, user.pointer);
    if (user.view && JSON.stringify(user.view) !== JSON.stringify(member.user.view)) {
      presence.setView(member, user.view);
    }
  }
}
