import { encodeBatchText, type ServerMessage } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import type { Member } from '../src/rooms/member.ts';
import { Room } from '../src/rooms/room.ts';
import { FakeConnection } from './fake-connection.ts';
import { userState } from './user-state.ts';

/**
 * Interest management and presence at scale, on a Room with a clock the test moves. Connections are
 * the test double of the real Connection interface; the Room and its selection logic are the real ones.
 */
function setup(n: number, options: Partial<typeof defaultConfig> = {}) {
  let now = 10_000;
  const room = new Room('r', { ...defaultConfig, ...options }, undefined, undefined, () => now);
  const connections: FakeConnection[] = [];
  const members: Member[] = [];
  const join = (i: number) => {
    const connection = new FakeConnection(i % 2 ? 'text' : 'binary');
    const member = room.add(
      { connection, kick: () => room.remove(member) },
      i + 1,
      `u${i + 1}`,
      'A'.repeat(22),
    );
    connections.push(connection);
    members.push(member);
    return member;
  };
  for (let i = 0; i < n; i++) join(i);
  room.flush();
  for (const p of connections) p.clear();
  return {
    room,
    connections,
    members,
    join,
    advance: (ms: number) => {
      now += ms;
    },
    /** One tick: everyone in `movers` moves to its own spot, then the room flushes. */
    tick(movers: readonly Member[], at: (m: Member) => { x: number; y: number }) {
      now += 40;
      for (const m of movers) room.move(m, at(m));
      room.flush();
    },
  };
}

const cursorIds = (msgs: ServerMessage[]) =>
  msgs.flatMap((m) => (m.t === 'cursors' ? [m.moves.map((u) => u.id)] : []));

/** A spot in the left half of the board for even ids, the right half for odd ones. */
const halves = (m: Member) => ({ x: m.user.id % 2 ? 1300 : 100, y: 100 + (m.user.id % 700) });

/** One local viewer and six users of another node (nodeX), K = 2: four of them are the rest. */
const REMOTE_K = 2;
function oneOfSixFromNodeX() {
  const t = setup(1, { interestK: REMOTE_K, lowRateMs: 1000 });
  const viewer = t.connections[0] as FakeConnection;
  const remote = [2, 3, 4, 5, 6, 7];
  for (const id of remote) t.room.apply({ t: 'join', user: userState(id, `r${id}`) }, 'nodeX');
  /** nodeX's batch number n: everyone of it moved. */
  const batch = (n: number) =>
    encodeBatchText(remote.map((id) => ({ id, at: { x: 100 + n, y: 100 + id } })));
  return { t, viewer, remote, batch };
}

describe('interest: who a recipient gets at full rate', () => {
  it('caps every full-rate frame at K cursors, and sends the rest at the low rate', () => {
    const k = 5;
    const t = setup(30, { interestK: k, lowRateMs: 1000 });
    const recipient = t.connections[0] as FakeConnection;
    // Warm up so everyone is a candidate, then look at a second of ticks.
    for (let i = 0; i < 10; i++) t.tick(t.members, halves);
    recipient.clear();
    for (let i = 0; i < 25; i++) t.tick(t.members, halves);
    const batches = cursorIds(recipient.messages());
    const fullRate = batches.filter((b) => b.length <= k);
    const lowRate = batches.filter((b) => b.length > k);
    expect(fullRate.length).toBeGreaterThanOrEqual(24);
    // The full-rate selection is stable, not a different handful each tick.
    const selected = new Set(fullRate.flat());
    expect(selected.size).toBe(k);
    // Exactly one low-rate frame in that second, carrying the rest of the room (not the K it
    // already has at full rate): together, everyone.
    expect(lowRate).toHaveLength(1);
    const rest = lowRate[0] ?? [];
    expect(rest).toHaveLength(30 - k);
    for (const id of rest) expect(selected.has(id)).toBe(false);
    expect(new Set([...rest, ...selected])).toEqual(new Set(t.members.map((m) => m.user.id)));
  });

  it('spreads the low-rate frames over the interval: one a second each, never all in one tick', () => {
    const k = 5;
    const n = 100;
    const t = setup(n, { interestK: k, lowRateMs: 1000 });
    for (let i = 0; i < 10; i++) t.tick(t.members, halves);
    for (const c of t.connections) c.clear();
    const perTick: number[] = [];
    const perRecipient = new Array<number>(n).fill(0);
    for (let i = 0; i < 25; i++) {
      t.tick(t.members, halves);
      let got = 0;
      t.connections.forEach((c, r) => {
        const low = cursorIds(c.messages()).filter((b) => b.length > k).length;
        perRecipient[r] = (perRecipient[r] ?? 0) + low;
        if (low > 0) got++;
        c.clear();
      });
      perTick.push(got);
    }
    // Every recipient got exactly one low-rate frame in the second...
    expect(perRecipient).toEqual(new Array(n).fill(1));
    // ...and each tick carried about a 25th of them (100 recipients, 25 ticks), not all 100.
    expect(Math.max(...perTick)).toBeLessThanOrEqual(Math.ceil(n / 25));
  });

  it('keeps the low rate within its budget in a huge room: the interval stretches, nobody is dropped', () => {
    const k = 5;
    const n = 60;
    // 55 movers beyond K, a budget of 11 low-rate cursors a second: one rest frame every 5 s.
    const t = setup(n, { interestK: k, lowRateMs: 1000, lowRateBudget: 11 });
    for (let i = 0; i < 10; i++) t.tick(t.members, halves);
    for (const c of t.connections) c.clear();
    const seconds = 15;
    for (let i = 0; i < (seconds * 1000) / 40; i++) t.tick(t.members, halves);
    for (const c of t.connections) {
      const low = cursorIds(c.messages()).filter((b) => b.length > k);
      // About 15 / 5 frames, never one a second (15) as without the budget...
      expect(low.length).toBeGreaterThanOrEqual(2);
      expect(low.length).toBeLessThanOrEqual(4);
      // ...so the low-rate cursors per second stay within the budget (11, plus one frame's slack
      // for where the window cuts the interval)...
      const cursors = low.reduce((sum, b) => sum + b.length, 0);
      expect(cursors / seconds).toBeLessThanOrEqual(11 + (n - k) / seconds);
      // ...and each of those frames still carries everyone the recipient does not get at full
      // rate: each cursor less often, none left out.
      for (const b of low) expect(b.length).toBe(n - k);
    }
  });

  it('brings the low rate back to once an interval when the crowd stops moving', () => {
    const k = 5;
    const t = setup(60, { interestK: k, lowRateMs: 1000, lowRateBudget: 11 });
    // 5 s of everyone moving: the interval stretched to 5 s.
    for (let i = 0; i < 125; i++) t.tick(t.members, halves);
    // Then only 15 keep moving (10 beyond K: within the budget); wait out the 3 s that the
    // others still count as active.
    const few = t.members.slice(0, 15);
    for (let i = 0; i < 100; i++) t.tick(few, halves);
    for (const c of t.connections) c.clear();
    for (let i = 0; i < 125; i++) t.tick(few, halves);
    // Five seconds: about one low-rate frame a second for everyone again.
    for (const c of t.connections.slice(15)) {
      const low = cursorIds(c.messages()).filter((b) => b.length > k);
      expect(low.length).toBeGreaterThanOrEqual(4);
      expect(low.length).toBeLessThanOrEqual(6);
    }
  });

  it("sends another node's low-rate rest with that node's batch, as fresh as its full rate", () => {
    const { t, viewer, remote, batch } = oneOfSixFromNodeX();
    let lows = 0;
    for (let n = 0; n < 50; n++) {
      // The other node's batch arrives between two of our ticks; our own user does not move.
      t.advance(20);
      viewer.clear();
      t.room.apply({ t: 'cursors', batch: batch(n) }, 'nodeX');
      for (const b of viewer.batches()) {
        if (b.length <= REMOTE_K) continue;
        // The rest of the room, at the low rate, carried the positions of this very batch.
        lows++;
        expect(b).toHaveLength(remote.length - REMOTE_K);
        for (const u of b) expect(u.at?.x).toBe(100 + n);
      }
      viewer.clear();
      t.tick([], halves);
      // Nothing of that node's at the low rate on our own tick: it came with its batch.
      expect(cursorIds(viewer.messages()).filter((b) => b.length > REMOTE_K)).toEqual([]);
    }
    // 50 rounds of 60 ms: 3 s, so about one low-rate frame a second.
    expect(lows).toBeGreaterThanOrEqual(2);
    expect(lows).toBeLessThanOrEqual(3);
  });

  it("still brings another node's last positions when its batches stop coming", () => {
    const { t, viewer, remote, batch } = oneOfSixFromNodeX();
    for (let n = 0; n < 5; n++) {
      t.advance(20);
      t.room.apply({ t: 'cursors', batch: batch(n) }, 'nodeX');
      t.tick([], halves);
    }
    // That node's users stopped: no batch comes any more, only our own ticks.
    for (let i = 0; i < 30; i++) t.tick([], halves);
    const last = new Map(viewer.batches().flatMap((b) => b.map((u) => [u.id, u.at] as const)));
    for (const id of remote) expect(last.get(id)).toEqual({ x: 104, y: 100 + id });
  });

  it('prefers cursors in (and near) its view over more recent ones elsewhere', () => {
    const t = setup(20, { interestK: 4 });
    const viewer = t.members[0] as Member;
    t.room.setView(viewer, { x: 0, y: 0, w: 400, h: 1000 }); // the left quarter
    // Even ids move on the left, odd ids on the right; the right ones started later (newer).
    const left = t.members.filter((m) => m.user.id % 2 === 0);
    for (let i = 0; i < 5; i++) t.tick(left, halves);
    for (let i = 0; i < 10; i++) t.tick(t.members, halves);
    (t.connections[0] as FakeConnection).clear();
    t.tick(t.members, halves);
    const [frame] = cursorIds((t.connections[0] as FakeConnection).messages());
    expect(frame).toHaveLength(4);
    for (const id of frame ?? []) expect(id % 2).toBe(0);
    // A recipient without a view takes the most recently active instead: the right side.
    const [other] = cursorIds((t.connections[1] as FakeConnection).messages()).slice(-1);
    for (const id of other ?? []) expect(id % 2).toBe(1);
  });

  it('always includes the user it follows, and people chatting', () => {
    const t = setup(20, { interestK: 3 });
    const viewer = t.members[0] as Member;
    t.room.setView(viewer, { x: 0, y: 0, w: 400, h: 1000 });
    const followed = t.members[19] as Member; // id 20: on the left, but the oldest streak
    const chatter = t.members[18] as Member; // id 19: on the right, out of view
    t.tick([followed], halves);
    t.advance(1500);
    for (let i = 0; i < 10; i++) t.tick(t.members, halves);
    t.room.follow(viewer, followed.user.id);
    t.room.relay(chatter, { t: 'chat', text: 'hi' });
    t.advance(300); // past the selection's refresh
    (t.connections[0] as FakeConnection).clear();
    t.tick(t.members, halves);
    const [frame] = cursorIds((t.connections[0] as FakeConnection).messages());
    expect(frame?.slice(0, 2)).toEqual([followed.user.id, chatter.user.id]);
    expect(frame).toHaveLength(3);
  });

  it('never loses a position that changed while its owner was outside the selection', () => {
    const t = setup(3, { interestK: 1, lowRateMs: 5000 });
    const [, a, b] = t.members as [Member, Member, Member];
    const viewer = t.connections[0] as FakeConnection;
    t.tick([a], halves); // a moves first: the older streak
    t.advance(250);
    for (let i = 0; i < 3; i++) t.tick([b], halves); // b newer: selected (K = 1), crowded
    t.advance(40);
    t.room.move(a, { x: 5, y: 5 }); // a moves while outside the (cached) selection
    t.room.flush();
    // b stops; once it is no longer a candidate, only a moves... no more: nobody is crowded now.
    t.advance(2900);
    for (let i = 0; i < 60; i++) t.tick([], halves); // past the low-rate interval
    const seen = viewer.messages().flatMap((m) => (m.t === 'cursors' ? m.moves : []));
    expect(seen.filter((m) => m.id === a.user.id).at(-1)).toEqual({
      id: a.user.id,
      at: { x: 5, y: 5 },
    });
  });

  it('sends everyone everything when no more than K move (small rooms are as before)', () => {
    const t = setup(10, { interestK: 80 });
    for (let i = 0; i < 3; i++) t.tick(t.members, halves);
    const [frame] = cursorIds((t.connections[3] as FakeConnection).messages()).slice(-1);
    expect(frame).toHaveLength(10);
  });
});

describe('interest: passive recipients', () => {
  it('a hidden tab gets no cursor frames, then one catch-up frame of everyone when back', () => {
    const t = setup(10, { lowRateMs: 1000 });
    const hidden = t.members[0] as Member;
    const connection = t.connections[0] as FakeConnection;
    t.room.setState(hidden, 'away');
    t.room.flush();
    connection.clear();
    const others = t.members.slice(1);
    for (let i = 0; i < 60; i++) t.tick(others, halves); // 2.4 s: low-rate frames were due too
    expect(cursorIds(connection.messages())).toEqual([]);
    t.room.setState(hidden, 'active');
    t.tick([], halves);
    const batches = cursorIds(connection.messages());
    expect(batches).toHaveLength(1);
    expect(new Set(batches[0])).toEqual(new Set(t.members.map((m) => m.user.id)));
    t.tick(others, halves); // and then the usual full rate
    expect(cursorIds(connection.messages())).toHaveLength(2);
  });

  it('an idle one gets only the low-rate frames', () => {
    const t = setup(10, { lowRateMs: 1000 });
    const idle = t.members[0] as Member;
    const connection = t.connections[0] as FakeConnection;
    t.room.setState(idle, 'idle');
    t.room.flush();
    connection.clear();
    for (let i = 0; i < 50; i++) t.tick(t.members.slice(1), halves); // 2 s
    const batches = cursorIds(connection.messages());
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.length).toBeLessThanOrEqual(2);
  });
});

describe('presence at scale', () => {
  it('batches many arrivals and departures into one presence frame per recipient per tick', () => {
    const t = setup(3);
    for (let i = 3; i < 53; i++) t.join(i);
    t.room.remove(t.members[1] as Member);
    t.room.flush();
    const frames = (t.connections[0] as FakeConnection).messages();
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ t: 'changes', left: [2], count: 52 });
    expect(frames[0]?.t === 'changes' && frames[0].joined?.length).toBe(50);
  });

  it('in a big room: presence at the low rate, a bounded list of arrivals, the rest counted', () => {
    const t = setup(30, { snapshotUsers: 10, lowRateMs: 1000 });
    const connection = t.connections[0] as FakeConnection;
    for (let i = 30; i < 130; i++) {
      t.join(i);
      t.tick([], halves);
    }
    // 100 arrivals over 4 s: about one presence frame a second, not one a tick.
    const frames = connection.messages().filter((m) => m.t === 'changes');
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.length).toBeLessThanOrEqual(5);
    for (const f of frames)
      if (f.t === 'changes') expect(f.joined?.length ?? 0).toBeLessThanOrEqual(20);
  });

  it('a newcomer to a big room gets a bounded snapshot (movers first) and can page the rest', () => {
    const t = setup(50, { snapshotUsers: 10 });
    const movers = t.members.slice(40, 43);
    t.tick(movers, halves);
    t.advance(300);
    const m = t.join(50);
    const [welcome] = (t.connections[50] as FakeConnection).messages();
    if (welcome?.t !== 'welcome') throw new Error('no welcome');
    expect(welcome.users).toHaveLength(10);
    expect(welcome.count).toBe(50);
    for (const mover of movers) expect(welcome.users.map((u) => u.id)).toContain(mover.user.id);
    // Paging: every user exactly once.
    const seen: number[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const page = t.room.roster(undefined, after, 20);
      if (page.t !== 'roster') throw new Error('not a roster');
      seen.push(...page.users.map((u) => u.id));
      after = page.next;
    }
    expect(seen.sort((a, b) => a - b)).toEqual(
      [...t.members.map((x) => x.user.id)].sort((a, b) => a - b),
    );
    expect(m.user.id).toBe(51);
    const byId = t.room.roster([3, 999], undefined, 20);
    expect(byId).toMatchObject({ t: 'roster', users: [{ id: 3 }], next: null, count: 51 });
  });
});
