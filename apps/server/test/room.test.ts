import { PALETTE } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import { Room } from '../src/rooms/room.ts';
import { FakeConnection } from './fake-connection.ts';

const newRoom = (options: Partial<typeof defaultConfig> = {}) =>
  new Room('r', { ...defaultConfig, ...options });
/** What a session does when the room kicks a member: close it and take it out of the room. */
const add = (room: Room, connection: FakeConnection, id: number, name: string) => {
  const kick = (code: number) => {
    connection.close(code);
    room.remove(member);
  };
  const member = room.add({ connection, kick }, id, name, 'A'.repeat(22));
  return member;
};

function roomWith(...formats: ('binary' | 'text')[]) {
  const room = newRoom();
  const connections = formats.map((f) => new FakeConnection(f));
  const members = connections.map((p, i) => add(room, p, i + 1, `user${i + 1}`));
  room.flush(); // the arrivals' presence frame
  for (const p of connections) p.clear();
  return { room, connections, members };
}

describe('Room presence', () => {
  it('welcomes a newcomer with everyone present and tells the others', () => {
    const room = newRoom();
    const a = new FakeConnection('binary');
    const ma = add(room, a, 1, 'Ada');
    room.move(ma, { x: 3, y: 4 });
    const b = new FakeConnection('text');
    add(room, b, 2, 'Bob');

    const [welcome] = b.messages();
    expect(welcome).toMatchObject({
      t: 'welcome',
      self: { id: 2, name: 'Bob' },
      users: [{ id: 1, name: 'Ada', at: { x: 3, y: 4 } }],
    });
    // v3: the others hear of the arrival in the tick's presence frame, with the room's size.
    expect(a.messages().map((m) => m.t)).toEqual(['welcome']);
    room.flush();
    expect(a.messages().at(-1)).toMatchObject({
      t: 'changes',
      // Ada's own arrival is in it too (nothing was flushed since): clients ignore themselves.
      joined: [{ id: 1 }, { id: 2, name: 'Bob', at: null }],
      count: 2,
    });
  });

  it('sends renames on the tick, once, newest value only; forgets pending changes of a leaver', () => {
    const { room, connections, members } = roomWith('binary', 'text');
    const [a, b] = connections as [FakeConnection, FakeConnection];
    const mb = members[1];
    if (!mb) throw new Error('no member');
    // A rename loop costs the room one frame per tick, not one per rename.
    for (let i = 0; i < 50; i++) room.rename(mb, `Bob${i}`);
    room.setState(mb, 'idle');
    expect(a.messages()).toEqual([]);
    room.flush();
    const change = { t: 'changes', users: [{ id: 2, name: 'Bob49', state: 'idle' }] };
    expect(a.messages()).toEqual([change]);
    expect(b.messages()).toEqual([change]); // confirms its own name (the client ignores the rest)

    room.rename(mb, 'Bobby');
    room.move(mb, { x: 1, y: 1 });
    room.remove(mb);
    room.remove(mb); // idempotent
    room.flush();
    expect(a.messages()).toEqual([change, { t: 'changes', users: [], left: [2], count: 1 }]);
    expect(room.size).toBe(1);
  });

  it('hands out distinct colors while the palette lasts', () => {
    const room = newRoom();
    const colors = PALETTE.map(
      (_, i) => add(room, new FakeConnection('text'), i + 1, `u${i}`).user.color,
    );
    expect(new Set(colors).size).toBe(PALETTE.length);
  });
});

describe('Room batching', () => {
  it('coalesces many moves of a user into their latest position, one frame per tick', () => {
    const { room, connections, members } = roomWith('binary', 'text', 'binary');
    const [mover] = members;
    if (!mover) throw new Error('no member');
    for (let i = 0; i < 50; i++) room.move(mover, { x: i, y: i });
    room.flush();
    for (const connection of connections.slice(1)) {
      expect(connection.frames).toHaveLength(1);
      expect(connection.batches()).toEqual([[{ id: 1, at: { x: 49, y: 49 } }]]);
    }
  });

  it('puts every user that moved in the same frame, encoded once per format', () => {
    const { room, connections, members } = roomWith('binary', 'binary', 'text', 'text');
    for (const [i, m] of members.entries()) room.move(m, { x: i, y: 0 });
    room.flush();
    const [b1, b2, t1, t2] = connections as [
      FakeConnection,
      FakeConnection,
      FakeConnection,
      FakeConnection,
    ];
    expect(b1.frames[0]).toBe(b2.frames[0]); // the very same encoded buffer
    expect(t1.frames[0]).toBe(t2.frames[0]);
    expect(b1.batches()[0]).toHaveLength(4);
    expect(t1.batches()).toEqual(b1.batches());
  });

  it('sends nothing when nothing changed', () => {
    const { room, connections, members } = roomWith('binary', 'text');
    room.flush();
    const [first] = members;
    if (!first) throw new Error('no member');
    room.move(first, { x: 1, y: 1 });
    room.flush();
    room.flush();
    expect(connections.map((p) => p.frames.length)).toEqual([0, 1]);
  });

  it('does not send a user only their own move', () => {
    const room = newRoom();
    const alone = new FakeConnection('binary');
    const member = add(room, alone, 1, 'solo');
    room.flush();
    alone.clear();
    room.move(member, { x: 9, y: 9 });
    room.flush();
    expect(alone.frames).toHaveLength(0);
  });
});

describe('Room backpressure', () => {
  it("skips a recipient over the soft limit, then sends it everyone's newest position, not a backlog", () => {
    const { room, connections, members } = roomWith('binary', 'binary', 'text');
    const [slow, , other] = connections as [FakeConnection, FakeConnection, FakeConnection];
    const [, m1, m2] = members;
    if (!m1 || !m2) throw new Error('no members');
    slow.buffered = defaultConfig.softBufferBytes + 1;
    room.move(m1, { x: 1, y: 1 });
    room.flush();
    room.move(m1, { x: 2, y: 2 });
    room.move(m2, { x: 3, y: 3 });
    room.flush();
    expect(slow.frames).toHaveLength(0);
    expect(other.frames).toHaveLength(2);

    slow.buffered = 0;
    room.flush(); // nothing moved, but the slow one is owed the current state
    expect(slow.batches()).toEqual([
      [
        { id: 1, at: null },
        { id: 2, at: { x: 2, y: 2 } },
        { id: 3, at: { x: 3, y: 3 } },
      ],
    ]);
    room.flush();
    expect(slow.frames).toHaveLength(1); // and only once
  });

  it('disconnects a recipient over the hard limit with 1013', () => {
    const { room, connections, members } = roomWith('binary', 'text');
    const [stuck, watcher] = connections as [FakeConnection, FakeConnection];
    stuck.buffered = defaultConfig.hardBufferBytes + 1;
    const mover = members[1];
    if (!mover) throw new Error('no member');
    room.move(mover, { x: 5, y: 5 });
    room.flush();
    expect(stuck.closedWith).toBe(1013);
    expect(room.size).toBe(1);
    room.flush();
    expect(watcher.messages()).toContainEqual({ t: 'changes', users: [], left: [1], count: 1 });
  });

  it('disconnects a recipient that stays over the soft limit too long', () => {
    const room = newRoom({ maxBehindMs: 0 });
    const lagging = new FakeConnection('text');
    const other = new FakeConnection('text');
    add(room, lagging, 1, 'lagging');
    const mover = add(room, other, 2, 'mover');
    room.flush();
    lagging.buffered = defaultConfig.softBufferBytes + 1;
    room.move(mover, { x: 1, y: 1 });
    room.flush(); // first time behind: only skipped
    expect(lagging.closedWith).toBeUndefined();
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        room.move(mover, { x: 2, y: 2 });
        room.flush();
        expect(lagging.closedWith).toBe(1013);
        resolve();
      }, 5),
    );
  });
});

describe('per-move fan-out (the tutorial design, for the benchmark)', () => {
  it('forwards each move to every other user at once', () => {
    const room = newRoom({ fanout: 'per-move' });
    const connections = [
      new FakeConnection('binary'),
      new FakeConnection('text'),
      new FakeConnection('binary'),
    ];
    const [m1] = connections.map((p, i) => add(room, p, i + 1, `u${i}`));
    room.flush();
    for (const p of connections) p.clear();
    if (!m1) throw new Error('no member');
    room.move(m1, { x: 1, y: 1 });
    room.move(m1, { x: 2, y: 2 });
    expect(connections.map((p) => p.frames.length)).toEqual([0, 2, 2]);
    room.flush();
    expect(connections.map((p) => p.frames.length)).toEqual([0, 2, 2]);
  });
});
