import { describe, expect, it } from 'vitest';
import { nodeOf, pickObservers, roomName } from '../src/population.ts';

describe('pickObservers', () => {
  it('spreads observers evenly, one per room of 20 when there are enough rooms', () => {
    const picked = [...pickObservers(1000, 20)];
    expect(picked).toHaveLength(20);
    expect(new Set(picked.map((i) => roomName(i, 50))).size).toBe(20);
  });

  it('never picks an excluded user and copes with small populations', () => {
    const excluded = new Set([7, 8, 9]);
    const picked = pickObservers(10, 20, excluded);
    expect(picked.size).toBe(7);
    for (const i of excluded) expect(picked.has(i)).toBe(false);
  });

  it('with one node, picks the evenly spread users themselves', () => {
    expect([...pickObservers(100, 4)]).toEqual([12, 37, 62, 87]);
    expect([...pickObservers(100, 4, new Set(), 1)]).toEqual([12, 37, 62, 87]);
  });

  it('with two nodes, takes turns between them and stays spread', () => {
    for (const [users, count] of [
      [100, 20],
      [500, 20],
      [50, 20],
      [64, 8],
      [1000, 20],
    ] as const) {
      const picked = [...pickObservers(users, count, new Set(), 2)];
      expect(picked).toHaveLength(count);
      const onNode0 = picked.filter((i) => nodeOf(i, 2) === 0).length;
      expect(onNode0).toBe(count / 2);
      // Never more than one position away from its even spot.
      picked.forEach((i, j) => {
        expect(Math.abs(i - Math.floor(((j + 0.5) * users) / count))).toBeLessThanOrEqual(1);
      });
    }
    // Rooms of 20: still one observer per room.
    const rooms = [...pickObservers(1000, 20, new Set(), 2)].map((i) => roomName(i, 20));
    expect(new Set(rooms).size).toBe(20);
  });

  it('falls back to any node when one has no candidates left', () => {
    const picked = pickObservers(3, 3, new Set(), 2);
    expect([...picked].sort()).toEqual([0, 1, 2]);
  });
});

describe('nodeOf', () => {
  it('alternates users between nodes, so each room splits evenly', () => {
    expect([0, 1, 2, 3, 4].map((i) => nodeOf(i, 2))).toEqual([0, 1, 0, 1, 0]);
    expect([0, 1, 2, 3].map((i) => nodeOf(i, 1))).toEqual([0, 0, 0, 0]);
  });
});
