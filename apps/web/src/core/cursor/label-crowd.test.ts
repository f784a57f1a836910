import { describe, expect, it } from 'vitest';
import { type LabelBox, MAX_FULL, quietLabels } from './label-crowd.ts';

const box = (id: number, x: number, y: number, rank = 1): LabelBox => ({
  id,
  x,
  y,
  w: 80,
  h: 22,
  rank,
});

describe('quietLabels', () => {
  it('keeps every label of people spread out', () => {
    expect(quietLabels([box(1, 0, 0), box(2, 200, 0), box(3, 0, 100)]).size).toBe(0);
  });

  it('fades the later of two overlapping labels, and idle ones always', () => {
    expect([...quietLabels([box(1, 0, 0), box(2, 30, 10), box(3, 500, 0, 0)])]).toEqual([2, 3]);
  });

  it('never fades someone chatting or under our pointer, even in a pile', () => {
    const quiet = quietLabels([box(1, 0, 0), box(2, 10, 5, 3), box(3, 20, 5, 2)]);
    expect(quiet.has(2)).toBe(false);
    expect(quiet.has(3)).toBe(false);
    expect(quiet.has(1)).toBe(true);
  });

  it('shows at most MAX_FULL labels in full, however spread out', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      box(i, (i % 10) * 100, Math.floor(i / 10) * 40),
    );
    expect(quietLabels(many).size).toBe(60 - MAX_FULL);
  });
});
