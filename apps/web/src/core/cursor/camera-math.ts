import { BOARD_HEIGHT, BOARD_WIDTH } from '@cursorline/protocol';

/**
 * The zoom rules, as pure functions (camera.ts applies them; camera-math.test.ts checks them).
 * A zoom is a scale: screen pixels per board unit.
 */

/** The board's smallest body text is 20 units; at this scale it is 12 px on screen. */
export const READABLE_SCALE = 0.62;
/** Up to 2.5 screen pixels per board unit: closer than that shows nothing new. */
export const MAX_SCALE = 2.5;
/** Windows this narrow are phones: they open at a readable zoom rather than the whole board. */
export const PHONE_WIDTH = 520;
/** Touch screens up to this wide (tablets) too: held close, with two fingers to pan. */
export const TABLET_WIDTH = 1100;

export interface ScaleLimits {
  min: number;
  max: number;
  opening: number;
}

export interface Room {
  /** The board frame's width in pixels. */
  frameWidth: number;
  /** The height the board could take without reaching under the dock. */
  roomHeight: number;
  windowWidth: number;
  /** The main pointer is a finger (CSS `pointer: coarse`). */
  coarse?: boolean;
}

/**
 * The board fits the frame's width; when it is a little too tall for the window (a 1280 × 720
 * laptop) it shrinks to fit the height too, so the dock does not cover its bottom. Much too
 * tall (a short window) and it keeps the width: shrinking would make it unreadable, and the
 * window scrolls instead. A phone (or a tablet) opens at a readable zoom and pans sideways.
 */
export function scaleLimits({ frameWidth, roomHeight, windowWidth, coarse }: Room): ScaleLimits {
  const widthFit = frameWidth > 0 ? frameWidth / BOARD_WIDTH : 1;
  const heightFit = roomHeight / BOARD_HEIGHT;
  const fit = heightFit >= widthFit * 0.8 ? Math.min(widthFit, heightFit) : widthFit;
  const handheld = windowWidth <= PHONE_WIDTH || (coarse === true && windowWidth <= TABLET_WIDTH);
  const opening = handheld ? Math.max(fit, READABLE_SCALE) : fit;
  return { min: Math.min(fit, opening), max: Math.max(MAX_SCALE, opening), opening };
}

/**
 * Where the board's left edge may be, in pixels from the frame's: a board narrower than its
 * frame sits in the middle; a wider one may pan until its edge meets the frame's, no further.
 */
export function panRange(frameWidth: number, boardWidth: number): { min: number; max: number } {
  if (boardWidth <= frameWidth) {
    const middle = (frameWidth - boardWidth) / 2;
    return { min: middle, max: middle };
  }
  return { min: frameWidth - boardWidth, max: 0 };
}
