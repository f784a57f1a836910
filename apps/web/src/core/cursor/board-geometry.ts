import { BOARD_HEIGHT, BOARD_WIDTH, type Point, type View } from '@cursorline/protocol';
import type { ScreenRect } from './board-coords.ts';

/**
 * Geometry between the board (board units) and the window (CSS pixels of the viewport), for
 * follow mode, view reports and off-screen markers. Pure functions, so they are unit tested;
 * board-view.ts does the measuring.
 */

/** The part of the window that shows the page: the viewport less sticky bars over it. */
export interface ClientBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Which part of the board is on screen, in whole board units (rounded outwards, so a sliver
 * counts), or null when none of it is. Always a valid protocol View.
 */
export function visibleView(board: ScreenRect, visible: ClientBox): View | null {
  const scale = board.width / BOARD_WIDTH;
  if (scale <= 0) return null;
  const left = Math.max(board.left, visible.left);
  const right = Math.min(board.left + board.width, visible.right);
  const top = Math.max(board.top, visible.top);
  const bottom = Math.min(board.top + board.height, visible.bottom);
  if (right <= left || bottom <= top) return null;
  const x = clamp(Math.floor((left - board.left) / scale), 0, BOARD_WIDTH);
  const y = clamp(Math.floor((top - board.top) / scale), 0, BOARD_HEIGHT);
  const x2 = clamp(Math.ceil((right - board.left) / scale), x, BOARD_WIDTH);
  const y2 = clamp(Math.ceil((bottom - board.top) / scale), y, BOARD_HEIGHT);
  return { x, y, w: x2 - x, h: y2 - y };
}

/** Where a board point is in the window. */
export function boardToClient(at: Point, board: ScreenRect): { x: number; y: number } {
  const scale = board.width / BOARD_WIDTH;
  return { x: board.left + at.x * scale, y: board.top + at.y * scale };
}

/**
 * How far to scroll (pixels, to add to the current scroll) so that a board region is in view:
 * centered when it fits in our window, its top-left corner at ours when it does not (someone
 * with a bigger screen reads from the top of theirs too). A point is a region of size 0.
 */
export function scrollToShow(region: View, board: ScreenRect, visible: ClientBox) {
  const scale = board.width / BOARD_WIDTH;
  const axis = (start: number, size: number, from: number, to: number) => {
    const length = size * scale;
    if (length > to - from) return start - from;
    return start + length / 2 - (from + to) / 2;
  };
  const { x, y } = boardToClient(region, board);
  return {
    dx: axis(x, region.w, visible.left, visible.right),
    dy: axis(y, region.h, visible.top, visible.bottom),
  };
}

export interface EdgeMarker {
  /** Where the marker goes (window pixels), on the visible area's edge, inset by `inset`. */
  x: number;
  y: number;
  /** Direction from the marker toward the point, in degrees (0 = right, 90 = down). */
  angle: number;
}

/**
 * For a point outside the visible area: the spot on the area's edge nearest to it, and which way
 * it lies from there. null when the point is in view (no marker needed).
 */
export function edgeMarker(
  point: { x: number; y: number },
  visible: ClientBox,
  inset: number,
): EdgeMarker | null {
  const inside =
    point.x >= visible.left &&
    point.x <= visible.right &&
    point.y >= visible.top &&
    point.y <= visible.bottom;
  if (inside) return null;
  const x = clamp(
    point.x,
    visible.left + inset,
    Math.max(visible.left + inset, visible.right - inset),
  );
  const y = clamp(
    point.y,
    visible.top + inset,
    Math.max(visible.top + inset, visible.bottom - inset),
  );
  const angle = (Math.atan2(point.y - y, point.x - x) * 180) / Math.PI;
  return { x, y, angle };
}
