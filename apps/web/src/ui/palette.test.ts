import { PALETTE, PALETTE_DARK, PALETTE_INK } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { userColors } from './user-color.ts';

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
};

// The page backgrounds a chat border or an off-screen marker sits on (styles.css).
const DARK_PANEL = '#1b1e29';

/** The server's rule (apps/server/src/rooms/colors.ts pickColor): the least used, first in order. */
function handOut(count: number): string[] {
  const uses = new Map<string, number>(PALETTE.map((c) => [c, 0]));
  const given: string[] = [];
  for (let i = 0; i < count; i++) {
    let best: string = PALETTE[0];
    for (const [color, n] of uses) if (n < (uses.get(best) ?? 0)) best = color;
    uses.set(best, (uses.get(best) ?? 0) + 1);
    given.push(best);
  }
  return given;
}

describe('the palette', () => {
  it('keeps label text at 4.5:1 or better on every color, light and dark', () => {
    for (const color of PALETTE) {
      const { light, dark } = userColors(color);
      expect(contrast(light, PALETTE_INK.light), `${light} light`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(dark, PALETTE_INK.dark), `${dark} dark`).toBeGreaterThanOrEqual(4.5);
      // A chat border or marker must stand out from the dark page (3:1, WCAG non-text).
      expect(contrast(dark, DARK_PANEL), `${dark} on the dark panel`).toBeGreaterThanOrEqual(3);
    }
  });

  it('has a dark variant for every color, each its own', () => {
    expect(Object.keys(PALETTE_DARK).sort()).toEqual([...PALETTE].sort());
    expect(new Set(Object.values(PALETTE_DARK)).size).toBe(PALETTE.length);
  });

  it('gives 30 people at least 24 distinct colors', () => {
    expect(new Set(handOut(30)).size).toBeGreaterThanOrEqual(24);
  });

  it('hands out colors one after another that are far apart in hue', () => {
    const hue = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
      return (
        (Math.atan2(Math.sqrt(3) * ((g ?? 0) - (b ?? 0)), 2 * (r ?? 0) - (g ?? 0) - (b ?? 0)) *
          180) /
        Math.PI
      );
    };
    const given = handOut(12);
    for (let i = 1; i < given.length; i++) {
      const d = Math.abs(hue(given[i] ?? '') - hue(given[i - 1] ?? '')) % 360;
      expect(Math.min(d, 360 - d)).toBeGreaterThan(40);
    }
  });

  it('shows a color from elsewhere as it is', () => {
    expect(userColors('#123456')).toEqual({ light: '#123456', dark: '#123456' });
  });
});
