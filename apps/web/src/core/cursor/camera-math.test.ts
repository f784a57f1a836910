import { describe, expect, it } from 'vitest';
import { MAX_SCALE, panRange, READABLE_SCALE, scaleLimits } from './camera-math.ts';

describe('scaleLimits', () => {
  it('fits the width on a roomy desktop', () => {
    const limits = scaleLimits({ frameWidth: 992, roomHeight: 700, windowWidth: 1280 });
    expect(limits.opening).toBeCloseTo(0.62);
    expect(limits.max).toBe(MAX_SCALE);
  });

  it('shrinks to the height when the board nearly fits (the dock must not cover it)', () => {
    const limits = scaleLimits({ frameWidth: 992, roomHeight: 554, windowWidth: 1280 });
    expect(limits.opening).toBeCloseTo(0.554);
  });

  it('keeps the width in a short window, which then scrolls', () => {
    const limits = scaleLimits({ frameWidth: 712, roomHeight: 250, windowWidth: 1000 });
    expect(limits.opening).toBeCloseTo(712 / 1600);
  });

  it('opens a phone at a readable zoom, and lets it zoom out to the whole width', () => {
    const limits = scaleLimits({ frameWidth: 362, roomHeight: 600, windowWidth: 390 });
    expect(limits.opening).toBe(READABLE_SCALE);
    expect(limits.min).toBeCloseTo(362 / 1600);
  });
});

describe('scaleLimits on a tablet', () => {
  it('opens a touch tablet at a readable zoom, a narrow desktop window at the whole width', () => {
    const tablet = { frameWidth: 740, roomHeight: 800, windowWidth: 768 };
    expect(scaleLimits({ ...tablet, coarse: true }).opening).toBe(READABLE_SCALE);
    expect(scaleLimits(tablet).opening).toBeCloseTo(740 / 1600);
  });
});

describe('panRange', () => {
  it('centers a board narrower than its frame', () => {
    expect(panRange(1000, 800)).toEqual({ min: 100, max: 100 });
  });

  it('lets a wider board pan until its edges meet the frame', () => {
    expect(panRange(360, 1000)).toEqual({ min: -640, max: 0 });
  });
});
