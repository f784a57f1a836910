import { PROTOCOL_VERSION, type UserState } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { applyUserFrame, EMPTY_USERS, type UserMap } from '../src/users.ts';

/** The user map is a value: these tests check what a frame makes of it, and that it stays put. */
const still: Omit<UserState, 'id' | 'name'> = {
  color: '#1565c0',
  state: 'active',
  at: null,
  view: null,
  pointer: { kind: 'mouse', pressed: false },
};
const user = (id: number, name = `U${id}`): UserState => ({ id, name, ...still });
const self = { id: 1, name: 'me', color: '#c62828' };

function welcomed(...users: UserState[]): UserMap {
  return applyUserFrame(EMPTY_USERS, {
    t: 'welcome',
    v: PROTOCOL_VERSION,
    room: 'r',
    self,
    users,
    count: users.length,
    resume: 'R'.repeat(22),
    resumed: false,
  }).map;
}

describe('applyUserFrame', () => {
  it('starts from exactly the snapshot on welcome', () => {
    const before = welcomed(user(2), user(3));
    const after = applyUserFrame(before, {
      t: 'welcome',
      v: PROTOCOL_VERSION,
      room: 'r',
      self,
      users: [user(4)],
      count: 1,
      resume: 'R'.repeat(22),
      resumed: false,
    });
    expect([...after.map.users.keys()]).toEqual([4]);
    expect(after.map.self).toEqual(self);
    expect(after.events).toEqual([]);
    expect([...before.users.keys()]).toEqual([2, 3]); // the old map is as it was
  });

  it('turns joins, leaves and changes into events, in that order, on copies', () => {
    const before = welcomed(user(2), user(3));
    const held = before.users.get(2); // say, kept by the page
    const { map, events, settled } = applyUserFrame(before, {
      t: 'changes',
      joined: [user(4)],
      left: [3, 99],
      users: [
        { id: 2, name: 'Ada', state: 'idle' },
        { id: 1, name: 'me again' },
        { id: 77, name: 'nobody we know' },
      ],
    });
    expect(events.map((e) => (e.type === 'update' ? `${e.change} ${e.user.id}` : e.type))).toEqual([
      'join',
      'leave',
      'name 2',
      'state 2',
      'name 1',
    ]);
    expect(map.users.get(2)).toMatchObject({ name: 'Ada', state: 'idle' });
    expect(map.self?.name).toBe('me again');
    expect([...map.users.keys()].sort()).toEqual([2, 4]);
    expect(settled).toEqual([4, 3, 99]);
    // Nothing the page was handed before has changed under it.
    expect(held).toEqual(user(2));
    expect(before.users.get(2)).toBe(held);
    expect(before.self).toEqual(self);
    expect(before.users.has(3)).toBe(true);
  });

  it('does not announce a known user again, nor ourselves', () => {
    const before = welcomed(user(2));
    const { events, map } = applyUserFrame(before, {
      t: 'roster',
      users: [user(2, 'Renamed'), { ...user(1), name: 'me' }, user(5)],
      next: null,
      count: 3,
    });
    expect(events).toEqual([{ type: 'join', user: user(5) }]);
    expect(map.users.get(2)?.name).toBe('Renamed');
    expect(map.users.has(1)).toBe(false);
  });

  it('stops learning arrivals in a huge room once it knows enough', () => {
    const before = welcomed(user(2), user(3));
    const joined = [user(4), user(5), user(6)];
    const big = applyUserFrame(before, { t: 'changes', users: [], joined, count: 5000 }, 3);
    expect([...big.map.users.keys()]).toEqual([2, 3, 4]);
    // A room no bigger than the bound keeps everyone.
    const small = applyUserFrame(before, { t: 'changes', users: [], joined, count: 3 }, 3);
    expect(small.map.users.size).toBe(5);
  });

  it('moves known cursors on copies, leaving out our own echo and strangers', () => {
    const before = welcomed(user(2));
    const held = before.users.get(2);
    const { map, events } = applyUserFrame(before, {
      t: 'cursors',
      moves: [
        { id: 1, at: { x: 1, y: 1 } },
        { id: 2, at: { x: 5, y: 6 } },
        { id: 9, at: { x: 7, y: 7 } },
      ],
    });
    expect(events).toEqual([{ type: 'cursors', moves: [{ id: 2, at: { x: 5, y: 6 } }] }]);
    expect(map.users.get(2)?.at).toEqual({ x: 5, y: 6 });
    expect(held?.at).toBeNull();
    // Only strangers and our echo: nothing changes, not even the map's identity.
    const same = applyUserFrame(map, { t: 'cursors', moves: [{ id: 9, at: null }] });
    expect(same.map).toBe(map);
    expect(same.events).toEqual([]);
  });
});
