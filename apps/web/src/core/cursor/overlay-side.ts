import { BOARD_HEIGHT, type Point } from '@cursorline/protocol';

/**
 * Which way the things beside a cursor (its label, chat bubble, the chat input) open, so they
 * stay inside the board's frame: right and down as usual, left near the frame's right edge, up
 * near the board's bottom (as Figma does). Pure, so it is unit tested.
 */

/** How the board is shown, as camera.ts keeps it. */
export interface Shown {
  scale: number;
  panX: number;
  frameWidth: number;
}

/** The widest an overlay gets (screen pixels): at most half the frame, so a flipped one fits. */
export const overlayMax = (frameWidth: number) => Math.min(260, frameWidth / 2 - 24);
/** Room an overlay takes right of the point (its offset plus a margin). */
const RIGHT_EXTRA = 18 + 8;
/** Room the label and a chat bubble of a few lines take below the point. */
const BELOW = 150;

export type Side = '' | 'x' | 'y' | 'x y';

export function sideFor(at: Point, shown: Shown): Side {
  const x = shown.panX + at.x * shown.scale;
  const y = at.y * shown.scale;
  const left = x + RIGHT_EXTRA + overlayMax(shown.frameWidth) > shown.frameWidth;
  const up = y + BELOW > BOARD_HEIGHT * shown.scale && y > BELOW;
  if (left && up) return 'x y';
  if (left) return 'x';
  return up ? 'y' : '';
}

/**
 * Where a reaction bursts, moved in from the edges so the emoji and its rise stay on the board:
 * it is 30 px wide and floats 90 px up from the point.
 */
export function burstPoint(at: Point, shown: Shown): Point {
  const margin = 20 / shown.scale;
  const left = -shown.panX / shown.scale + margin;
  const right = (shown.frameWidth - shown.panX) / shown.scale - margin;
  const top = 120 / shown.scale;
  return {
    x: Math.min(Math.max(at.x, left), Math.max(left, right)),
    y: Math.min(Math.max(at.y, top), BOARD_HEIGHT - margin),
  };
}

/**
 * The chat input is wider than a bubble (typing in a narrow box is hard on a phone): 260 px, or
 * the frame's width less a margin. Instead of flipping it slides sideways, from its usual place
 * right of the point, just far enough to stay inside the frame. Screen pixels; `left` is
 * counted from the point.
 */
export function inputPlace(at: Point, shown: Shown): { left: number; width: number } {
  const margin = 8;
  const width = Math.max(120, Math.min(260, shown.frameWidth - 2 * margin));
  const x = shown.panX + at.x * shown.scale;
  const left = Math.min(18, shown.frameWidth - margin - width - x);
  return { left: Math.round(Math.max(left, margin - x)), width: Math.round(width) };
}
