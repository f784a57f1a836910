import { describe, expect, it } from 'vitest';
import { boardToClient, edgeMarker, scrollToShow, visibleView } from './board-geometry.ts';

// A board drawn at half size (800 × 500 px), its top 100 px below the window's top.
const board = { left: 20, top: 100, width: 800, height: 500 };
const windowBox = { left: 0, top: 0, right: 1000, bottom: 400 };

describe('visibleView', () => {
  it('is the whole board when it all fits', () => {
    const all = { left: 0, top: 0, right: 1000, bottom: 700 };
    expect(visibleView(board, all)).toEqual({ x: 0, y: 0, w: 1600, h: 1000 });
  });

  it('is the part above the window bottom, in board units', () => {
    // 300 px of the board show (100..400), i.e. 600 units.
    expect(visibleView(board, windowBox)).toEqual({ x: 0, y: 0, w: 1600, h: 600 });
  });

  it('accounts for scrolling and a sticky bar over the top', () => {
    const scrolled = { ...board, top: -200 };
    const belowBar = { ...windowBox, top: 60 };
    // Board pixels 260..600 of 500 px tall → units 520..1000.
    expect(visibleView(scrolled, belowBar)).toEqual({ x: 0, y: 520, w: 1600, h: 480 });
  });

  it('rounds outwards and stays a valid view', () => {
    const view = visibleView({ ...board, top: -100.3 }, windowBox);
    expect(view).toEqual({ x: 0, y: 200, w: 1600, h: 800 });
    const odd = visibleView({ left: 0, top: -0.7, width: 333, height: 208.125 }, windowBox);
    expect(odd && odd.y + odd.h).toBeLessThanOrEqual(1000);
  });

  it('is null when the board is scrolled out of sight', () => {
    expect(visibleView({ ...board, top: 500 }, windowBox)).toBeNull();
    expect(visibleView({ ...board, top: -600 }, windowBox)).toBeNull();
  });
});

describe('boardToClient', () => {
  it('scales and offsets', () => {
    expect(boardToClient({ x: 800, y: 500 }, board)).toEqual({ x: 420, y: 350 });
  });
});

describe('scrollToShow', () => {
  it('centers a region that fits', () => {
    // Units 500..700 are pixels 350..450 on screen; centered in 0..400 means scrolling 200.
    expect(scrollToShow({ x: 0, y: 500, w: 1600, h: 200 }, board, windowBox).dy).toBe(200);
  });

  it('puts the top of a region that does not fit at the top', () => {
    // 900 units = 450 px > 400 px: unit 100 (pixel 150) goes to the top, 0.
    expect(scrollToShow({ x: 0, y: 100, w: 1600, h: 900 }, board, windowBox).dy).toBe(150);
  });

  it('centers a point', () => {
    const { dx, dy } = scrollToShow({ x: 800, y: 0, w: 0, h: 0 }, board, windowBox);
    expect(dx).toBe(-80);
    expect(dy).toBe(-100);
  });
});

describe('edgeMarker', () => {
  const box = { left: 0, top: 50, right: 400, bottom: 300 };

  it('is null for a point in view', () => {
    expect(edgeMarker({ x: 200, y: 200 }, box, 10)).toBeNull();
  });

  it('sits on the bottom edge pointing down for a point below', () => {
    expect(edgeMarker({ x: 100, y: 900 }, box, 20)).toEqual({ x: 100, y: 280, angle: 90 });
  });

  it('sits on the top edge pointing up for a point above', () => {
    expect(edgeMarker({ x: 100, y: -500 }, box, 20)).toEqual({ x: 100, y: 70, angle: -90 });
  });

  it('goes to the corner for a point off a corner', () => {
    const marker = edgeMarker({ x: 900, y: 800 }, box, 20);
    expect(marker).toMatchObject({ x: 380, y: 280 });
    expect(marker?.angle).toBeCloseTo(45, 0);
  });
});
