import { describe, expect, it } from 'vitest';
import { toBoardPoint } from './board-coords.ts';

describe('toBoardPoint', () => {
  it('maps the unscaled board one to one', () => {
    const rect = { left: 10, top: 20, width: 1600, height: 1000 };
    expect(toBoardPoint(10, 20, rect)).toEqual({ x: 0, y: 0 });
    expect(toBoardPoint(810, 520, rect)).toEqual({ x: 800, y: 500 });
  });

  it('undoes the scale, so every window size gives the same point', () => {
    const half = { left: 0, top: 100, width: 800, height: 500 };
    expect(toBoardPoint(400, 350, half)).toEqual({ x: 800, y: 500 });
    const wide = { left: 50, top: 0, width: 2400, height: 1500 };
    expect(toBoardPoint(50 + 1200, 750, wide)).toEqual({ x: 800, y: 500 });
  });

  it('rounds to whole units', () => {
    const rect = { left: 0, top: 0, width: 800, height: 500 };
    expect(toBoardPoint(100.3, 100.8, rect)).toEqual({ x: 201, y: 202 });
  });

  it('clamps to the board', () => {
    const rect = { left: 0, top: 0, width: 800, height: 500 };
    expect(toBoardPoint(-5, -5, rect)).toEqual({ x: 0, y: 0 });
    expect(toBoardPoint(801, 501, rect)).toEqual({ x: 1600, y: 1000 });
  });
});
