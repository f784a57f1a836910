import { BOARD_HEIGHT, BOARD_WIDTH } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_SPEED, Wanderer } from '../src/paths.ts';
import { seededRandom } from '../src/rng.ts';

const STEP_MS = 1000 / 30;

function walk(seed: number, steps: number) {
  const path = new Wanderer(seededRandom(seed));
  return Array.from({ length: steps }, () => path.step(STEP_MS));
}

describe('Wanderer', () => {
  it('stays on the board, in whole units', () => {
    const off = walk(1, 20_000).filter(
      (at) =>
        !Number.isInteger(at.x) ||
        !Number.isInteger(at.y) ||
        at.x < 0 ||
        at.x > BOARD_WIDTH ||
        at.y < 0 ||
        at.y > BOARD_HEIGHT,
    );
    expect(off).toEqual([]);
  });

  it('moves smoothly: never faster than MAX_SPEED between two steps', () => {
    const points = walk(2, 5_000);
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1];
      const b = points[i];
      if (!a || !b) continue;
      // +2: rounding to whole units can add up to one unit on each axis
      expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeLessThanOrEqual(
        (MAX_SPEED * STEP_MS) / 1000 + 2,
      );
    }
  });

  it('changes direction gradually rather than jittering', () => {
    const points = walk(3, 3_000);
    let sharpTurns = 0;
    let moves = 0;
    for (let i = 2; i < points.length; i++) {
      const [a, b, c] = [points[i - 2], points[i - 1], points[i]];
      if (!a || !b || !c) continue;
      const v1 = { x: b.x - a.x, y: b.y - a.y };
      const v2 = { x: c.x - b.x, y: c.y - b.y };
      const n1 = Math.hypot(v1.x, v1.y);
      const n2 = Math.hypot(v2.x, v2.y);
      if (n1 < 5 || n2 < 5) continue; // slow or resting: direction is meaningless
      moves++;
      if ((v1.x * v2.x + v1.y * v2.y) / (n1 * n2) < 0) sharpTurns++; // turned more than 90°
    }
    expect(moves).toBeGreaterThan(1_000);
    expect(sharpTurns / moves).toBeLessThan(0.02);
  });

  it('rests now and then', () => {
    const points = walk(4, 30 * 60); // one minute
    let still = 0;
    for (let i = 1; i < points.length; i++) {
      if (points[i]?.x === points[i - 1]?.x && points[i]?.y === points[i - 1]?.y) still++;
    }
    expect(still).toBeGreaterThan(30); // at least a second's worth of resting
    expect(still).toBeLessThan(points.length / 2); // but mostly moving
  });

  it('wanders over much of the board', () => {
    const cells = new Set<string>();
    for (const at of walk(5, 30 * 300))
      cells.add(`${Math.floor(at.x / 200)},${Math.floor(at.y / 200)}`);
    expect(cells.size).toBeGreaterThan(0.6 * 8 * 5); // most of the 8 × 5 grid of 200-unit cells
  });

  it('repeats exactly with the same seed', () => {
    expect(walk(6, 500)).toEqual(walk(6, 500));
    expect(walk(6, 500)).not.toEqual(walk(7, 500));
  });
});
