import type { Point, Pointer } from '@cursorline/protocol';
import { type RefObject, useEffect } from 'react';
import { toBoardPoint } from './board-coords.ts';
import type { BoardGestures } from './gestures.ts';

const kindOf = (e: PointerEvent): Pointer['kind'] =>
  e.pointerType === 'touch' || e.pointerType === 'pen' ? e.pointerType : 'mouse';

/**
 * Reports where the pointer is on the board, in board units, at most once per animation frame:
 * a mouse can fire several pointermoves per frame, and only the newest one matters. Pointer
 * events (not mouse events) so that pens and touch work too; what points (mouse, finger, pen)
 * and whether it is pressed goes to `onPointer`, which is told every time (the client only
 * sends changes).
 *
 * A finger drags the cursor: the board has `touch-action: none`, so the browser does not take
 * a one-finger drag as a page scroll (and cancel the pointer). Two fingers are a pinch or a pan
 * (the zoom feature's gesture), not pointing: while a gesture is busy the pointer does not
 * point, and a gesture may take a press for itself (gestures.ts).
 */
export function useBoardPointer(
  ref: RefObject<HTMLElement | null>,
  onMove: (at: Point | null) => void,
  onPointer: (pointer: Pointer) => void,
  gestures: BoardGestures,
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
    const onPointerMove = (e: PointerEvent) => {
      if (gestures.busy()) return;
      latest = e;
      if (!frame) frame = requestAnimationFrame(flush);
      onPointer({ kind: kindOf(e), pressed: e.buttons !== 0 });
    };
    const onDown = (e: PointerEvent) => {
      if (gestures.busy()) {
        // The second finger of a pinch: the first one stops pointing, so it is not pressed.
        onPointer({ kind: kindOf(e), pressed: false });
        return;
      }
      const at = toBoardPoint(e.clientX, e.clientY, board.getBoundingClientRect());
      if (!gestures.press(at, e)) onPointer({ kind: kindOf(e), pressed: true });
      // A tap must show where it landed even though no move follows it.
      latest = e;
      if (!frame) frame = requestAnimationFrame(flush);
    };
    // Released anywhere, even off the board: on the window.
    const onUp = (e: PointerEvent) => onPointer({ kind: kindOf(e), pressed: false });
    const onLeave = (e: PointerEvent) => {
      // A finger "leaves" the moment it lifts; leave its cursor where it tapped instead of
      // hiding it at once.
      if (e.pointerType === 'touch') return;
      cancelAnimationFrame(frame);
      frame = 0;
      latest = null; // a move still waiting for its frame must not arrive after the null
      onMove(null);
    };

    board.addEventListener('pointermove', onPointerMove);
    board.addEventListener('pointerdown', onDown);
    board.addEventListener('pointerleave', onLeave);
    addEventListener('pointerup', onUp);
    addEventListener('pointercancel', onUp);
    return () => {
      board.removeEventListener('pointermove', onPointerMove);
      board.removeEventListener('pointerdown', onDown);
      board.removeEventListener('pointerleave', onLeave);
      removeEventListener('pointerup', onUp);
      removeEventListener('pointercancel', onUp);
      cancelAnimationFrame(frame);
    };
  }, [ref, onMove, onPointer, gestures]);
}
