import { BOARD_HEIGHT, BOARD_WIDTH, type Point } from '@cursorline/protocol';

/** The on-screen box of the board, as getBoundingClientRect() reports it (after scaling). */
export interface ScreenRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));

/**
 * Turns a pointer position in viewport pixels into board units. The rect already includes the
 * CSS scale (the zoom, camera.ts), so width / BOARD_WIDTH is the scale. Positions are rounded (the protocol sends
 * integers) and clamped, because a pointer on the board's very edge can land a fraction outside.
 */
export function toBoardPoint(clientX: number, clientY: number, rect: ScreenRect): Point {
  const scale = rect.width / BOARD_WIDTH;
  return {
    x: clamp(Math.round((clientX - rect.left) / scale), BOARD_WIDTH),
    y: clamp(Math.round((clientY - rect.top) / scale), BOARD_HEIGHT),
  };
}
