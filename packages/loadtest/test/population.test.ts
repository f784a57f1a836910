import { describe, expect, it } from 'vitest';
import { pickObservers, roomName } from '../src/population.ts';

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
});
