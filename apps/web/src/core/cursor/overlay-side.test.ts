import { describe, expect, it } from 'vitest';
import { burstPoint, inputPlace, sideFor } from './overlay-side.ts';

const desktop = { scale: 0.62, panX: 0, frameWidth: 992 };
const phone = { scale: 0.62, panX: -300, frameWidth: 362 };

describe('sideFor', () => {
  it('opens right and down in the middle of the board', () => {
    expect(sideFor({ x: 800, y: 500 }, desktop)).toBe('');
  });

  it('opens left near the right edge and up near the bottom', () => {
    expect(sideFor({ x: 1560, y: 500 }, desktop)).toBe('x');
    expect(sideFor({ x: 800, y: 980 }, desktop)).toBe('y');
    expect(sideFor({ x: 1590, y: 995 }, desktop)).toBe('x y');
  });

  it('uses the edge of what the frame shows, not of the whole board', () => {
    // x = 900 is at 258 px in a 362 px frame panned 300 px: near its right edge.
    expect(sideFor({ x: 900, y: 200 }, phone)).toBe('x');
    expect(sideFor({ x: 500, y: 200 }, phone)).toBe('');
  });
});

describe('burstPoint', () => {
  it('leaves a point in the middle alone', () => {
    expect(burstPoint({ x: 800, y: 500 }, desktop)).toEqual({ x: 800, y: 500 });
  });

  it('moves a burst in from the right, top and bottom edges of what is shown', () => {
    const p = burstPoint({ x: 1600, y: 0 }, desktop);
    expect(p.x).toBeLessThan(1600 - 20 / 0.62 + 1);
    expect(p.y).toBeGreaterThanOrEqual(120 / 0.62);
    expect(burstPoint({ x: 100, y: 500 }, phone).x).toBeGreaterThan(300 / 0.62);
  });
});

describe('inputPlace', () => {
  it('opens right of the point where there is room', () => {
    expect(inputPlace({ x: 400, y: 300 }, desktop)).toEqual({ left: 18, width: 260 });
  });

  it('slides left to stay inside the frame near its right edge', () => {
    const { left, width } = inputPlace({ x: 1590, y: 300 }, desktop);
    const x = 1590 * 0.62;
    expect(x + left + width).toBeLessThanOrEqual(992 - 8);
  });

  it('keeps its full width on a phone, inside the frame wherever the finger is', () => {
    for (const at of [500, 700, 900]) {
      const { left, width } = inputPlace({ x: at, y: 300 }, phone);
      const x = -300 + at * 0.62;
      expect(width).toBe(260);
      expect(x + left).toBeGreaterThanOrEqual(8);
      expect(x + left + width).toBeLessThanOrEqual(362 - 8);
    }
  });
});
