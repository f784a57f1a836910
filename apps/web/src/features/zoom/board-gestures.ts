import type { BoardCamera } from '../../core/cursor/camera.ts';
import type { BoardGesture } from '../../core/cursor/gestures.ts';
import { isTyping } from '../../ui/typing.ts';

/** One step of the zoom keys and buttons. */
export const ZOOM_STEP = 1.25;
/** One press of ← or → pans this far (px). */
const PAN_STEP = 80;

interface Finger {
  x: number;
  y: number;
}

const distance = (a: Finger, b: Finger) => Math.hypot(a.x - b.x, a.y - b.y);
const middle = (a: Finger, b: Finger) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * Zoom and pan on the board, as a board gesture (core/cursor/gestures.ts). The board has
 * `touch-action: none` (so a one-finger drag points instead of scrolling the page, see
 * useBoardPointer.ts); two fingers do what the browser would have done: pinch to zoom, move
 * together to pan, and while they do the pointer does not point (`busy`). With a mouse or
 * trackpad, Ctrl or ⌘ + wheel (a trackpad pinch arrives as that too) zooms at the pointer, a
 * sideways wheel pans. Keys: + − 0 zoom, ← → pan a zoomed-in board sideways (↑ ↓ scroll the
 * window as always).
 */
export function zoomGesture(camera: BoardCamera): BoardGesture {
  /** Set while two fingers are on the board: they zoom and pan, they do not point. */
  const pinch = { active: false };
  return { busy: () => pinch.active, attach: (board) => attachZoom(board, camera, pinch) };
}

function attachZoom(
  board: HTMLElement,
  camera: BoardCamera,
  pinch: { active: boolean },
): () => void {
  const fingers = new Map<number, Finger>();
  let last: { spread: number; at: Finger } | null = null;

  const pair = () => {
    const [a, b] = fingers.values();
    return a && b ? { spread: distance(a, b), at: middle(a, b) } : null;
  };
  const onDown = (e: PointerEvent) => {
    if (e.pointerType !== 'touch') return;
    fingers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (fingers.size === 2) {
      pinch.active = true;
      last = pair();
    }
  };
  const onMove = (e: PointerEvent) => {
    const finger = fingers.get(e.pointerId);
    if (!finger) return;
    finger.x = e.clientX;
    finger.y = e.clientY;
    const now = pair();
    if (!pinch.active || !now || !last) return;
    if (last.spread > 0) camera.zoomBy(now.spread / last.spread, now.at.x, now.at.y);
    camera.panBy(now.at.x - last.at.x, now.at.y - last.at.y);
    last = now;
  };
  const onUp = (e: PointerEvent) => {
    if (!fingers.delete(e.pointerId)) return;
    last = pair();
    // The finger left after a pinch must not start pointing: the gesture ends with the last.
    if (fingers.size === 0) pinch.active = false;
  };
  const onWheel = (e: WheelEvent) => {
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault(); // the browser would zoom the whole page
      camera.zoomBy(Math.exp(-e.deltaY * 0.01), e.clientX, e.clientY);
    } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      camera.panBy(-e.deltaX, 0);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    // Ctrl/⌘ with + and - is the browser's own page zoom: leave it alone.
    if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || isTyping(e.target)) return;
    if (e.key === '+' || e.key === '=') camera.zoomBy(ZOOM_STEP);
    else if (e.key === '-' || e.key === '_') camera.zoomBy(1 / ZOOM_STEP);
    else if (e.key === '0') camera.reset();
    else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && camera.pannable) {
      e.preventDefault();
      camera.panBy(e.key === 'ArrowLeft' ? PAN_STEP : -PAN_STEP, 0);
    }
  };

  board.addEventListener('pointerdown', onDown);
  board.addEventListener('pointermove', onMove);
  addEventListener('pointerup', onUp);
  addEventListener('pointercancel', onUp);
  board.addEventListener('wheel', onWheel, { passive: false });
  addEventListener('keydown', onKey);
  return () => {
    pinch.active = false;
    board.removeEventListener('pointerdown', onDown);
    board.removeEventListener('pointermove', onMove);
    removeEventListener('pointerup', onUp);
    removeEventListener('pointercancel', onUp);
    board.removeEventListener('wheel', onWheel);
    removeEventListener('keydown', onKey);
  };
}
