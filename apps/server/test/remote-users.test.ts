import { encodeBatchText } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import { Room } from '../src/rooms/room.ts';
import { FakeConnection } from './fake-connection.ts';
import { userState } from './user-state.ts';

/**
 * Copies of other nodes' users (rooms/remote-users.ts) on a real Room: what a node publishes
 * about its own users lands here, and nothing a node says about another node's user does.
 */
const remoteUser = (id: number, name: string) => userState(id, name);

function setup() {
  const room = new Room('r', defaultConfig);
  const connection = new FakeConnection('text');
  room.add({ connection, kick: () => {} }, 1, 'Local', 'A'.repeat(22));
  room.flush();
  connection.clear();
  return { room, connection };
}

describe('remote users', () => {
  it('are added, moved and removed by the node that owns them, and counted apart', () => {
    const { room, connection } = setup();
    room.apply({ t: 'join', user: remoteUser(5, 'Far') }, 'nodeX');
    expect(room.size).toBe(2);
    expect(room.localSize).toBe(1);
    room.apply({ t: 'cursors', batch: encodeBatchText([{ id: 5, at: { x: 7, y: 8 } }]) }, 'nodeX');
    // Forwarded on arrival, not on the next tick.
    expect(connection.batches()).toEqual([[{ id: 5, at: { x: 7, y: 8 } }]]);
    room.apply({ t: 'leave', id: 5 }, 'nodeX');
    expect(room.size).toBe(1);
    expect(room.localSize).toBe(1);
  });

  it('ignore what another node says about them', () => {
    const { room, connection } = setup();
    room.apply({ t: 'join', user: remoteUser(5, 'Far') }, 'nodeX');
    room.flush();
    connection.clear();
    room.apply({ t: 'update', user: { ...remoteUser(5, 'Renamed') } }, 'nodeY');
    room.apply({ t: 'cursors', batch: encodeBatchText([{ id: 5, at: { x: 1, y: 1 } }]) }, 'nodeY');
    room.apply({ t: 'relay', id: 5, msg: { t: 'chat', text: 'not mine' } }, 'nodeY');
    room.apply({ t: 'leave', id: 5 }, 'nodeY');
    room.apply({ t: 'members', users: [] }, 'nodeY');
    // Nor can a node speak for this node's own user.
    room.apply({ t: 'leave', id: 1 }, 'nodeY');
    room.flush();
    expect(connection.frames).toEqual([]);
    expect(room.size).toBe(2);
    expect(room.roster([5], undefined, 10)).toMatchObject({ users: [{ id: 5, name: 'Far' }] });
  });

  it('follow their node: its full list replaces what we had, and its loss shows them offline', () => {
    const { room } = setup();
    room.apply({ t: 'members', users: [remoteUser(5, 'A'), remoteUser(6, 'B')] }, 'nodeX');
    room.apply({ t: 'members', users: [remoteUser(6, 'B')] }, 'nodeX');
    expect(room.roster(undefined, undefined, 10)).toMatchObject({ count: 2 });
    room.nodeLost('nodeX');
    expect(room.roster([6], undefined, 10)).toMatchObject({ users: [{ state: 'offline' }] });
    room.removeNode('nodeX', 'offline');
    expect(room.size).toBe(1);
    expect(room.localSize).toBe(1);
  });
});
