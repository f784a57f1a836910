import { encodeBatchText } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import { PEER_WAIT_MS } from '../src/rooms/cursor-fanout.ts';
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

describe("another node's batches and our tick", () => {
  /** Two local users (a moves, b watches) and one of nodeX's, on a clock the test moves. */
  function crossNode() {
    let now = 10_000;
    const room = new Room('r', defaultConfig, undefined, undefined, () => now);
    const a = room.add(
      { connection: new FakeConnection('text'), kick: () => {} },
      1,
      'A',
      'A'.repeat(22),
    );
    const watcher = new FakeConnection('text');
    room.add({ connection: watcher, kick: () => {} }, 2, 'B', 'B'.repeat(22));
    room.apply({ t: 'join', user: remoteUser(9, 'Far') }, 'nodeX');
    room.flush();
    watcher.clear();
    let n = 0;
    return {
      room,
      watcher,
      /** Our tick, `ms` after the last one: a moves, then the room flushes. */
      tick(ms = defaultConfig.tickMs) {
        now += ms;
        room.move(a, { x: 10, y: ++n });
        room.flush();
      },
      /** nodeX's batch arrives `ms` later. */
      batch(ms: number) {
        now += ms;
        room.apply(
          { t: 'cursors', batch: encodeBatchText([{ id: 9, at: { x: 90, y: ++n } }]) },
          'nodeX',
        );
      },
      ids: () => watcher.batches().map((b) => b.map((u) => u.id).sort()),
    };
  }

  it('wait a moment for a node that ticks with us, so both go out in one frame', () => {
    const t = crossNode();
    t.tick();
    t.batch(2); // 2 ms after our tick: the node ticks with us
    expect(t.ids()).toEqual([[1], [9]]); // not yet known to tick with us: two frames
    t.watcher.clear();
    t.tick(38);
    expect(t.ids()).toEqual([]); // our frame waits for nodeX's batch of this tick...
    t.batch(2);
    expect(t.ids()).toEqual([[1, 9]]); // ...and goes out with it, at once, in one frame
  });

  it('do not wait longer than PEER_WAIT_MS for it', async () => {
    const t = crossNode();
    t.tick();
    t.batch(2);
    t.watcher.clear();
    t.tick(38); // nodeX is late this time
    await new Promise((resolve) => setTimeout(resolve, PEER_WAIT_MS + 20));
    expect(t.ids()).toEqual([[1]]);
    t.batch(30); // when it does come, it goes on its own, at once
    expect(t.ids()).toEqual([[1], [9]]);
  });

  it('are not waited for when they come at another moment: forwarded on arrival', () => {
    const t = crossNode();
    t.tick();
    t.batch(20); // mid-tick: this node does not tick with us
    t.watcher.clear();
    t.tick(20);
    expect(t.ids()).toEqual([[1]]); // sent at once, not held
    t.batch(20);
    expect(t.ids()).toEqual([[1], [9]]);
  });

  it('join our tick when they come just before it', () => {
    const t = crossNode();
    t.tick();
    t.watcher.clear();
    t.batch(defaultConfig.tickMs - 3); // 3 ms before our next tick
    expect(t.ids()).toEqual([]);
    t.tick(3);
    expect(t.ids()).toEqual([[1, 9]]);
  });
});
