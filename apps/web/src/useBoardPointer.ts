import type { Point } from '@cursorline/protocol';
import { type RefObject, useEffect } from 'react';
import { toBoardPoint } from './board-coords.ts';

/**
 * Reports where the pointer is on the board, in board units, at most once per animation frame:
 * a mouse can fire several pointermoves per frame, and only the newest one matters. Pointer
 * events (not mouse events) so that pens and touch work too.
 */
export function useBoardPointer(
  ref: RefObject<HTMLElement | null>,
  onMove: (at: Point | null) => void,
): void {
  useEffect(() => {
    const board = ref.current;
    if (!board) return;
    let latest: PointerEvent | null = null;
    let frame = 0;

    const flush = () => {
      frame = 0;
      if (!latest) return;
      // Measured now rather than cached: layout may have changed (resize, scroll) since.
      onMove(toBoardPoint(latest.clientX, latest.clientY, board.getBoundingClientRect()));
      latest = null;
    };
    const onPointer = (e: PointerEvent) => {
      latest = e;
      if (!frame) frame = requestAnimationFrame(flush);
    };
    const onLeave = (e: PointerEvent) => {
      // A finger "leaves" the moment it lifts; leave its cursor where it tapped instead of
      // hiding it at once.
      if (e.pointerType === 'touch') return;
      cancelAnimationFrame(frame);
      frame = 0;
      latest = null; // a move still waiting for its frame must not arrive after the null
      onMove(null);
    };

    board.addEventListener('pointermove', onPointer);
    board.addEventListener('pointerdown', onPointer);
    board.addEventListener('pointerleave', onLeave);
    return () => {
      board.removeEventListener('pointermove', onPointer);
      board.removeEventListener('pointerdown', onPointer);
      board.removeEventListener('pointerleave', onLeave);
      cancelAnimationFrame(frame);
    };
  }, [ref, onMove]);
}
