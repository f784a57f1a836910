import type { Point, View } from '@cursorline/protocol';
import type { ScreenRect } from './board-coords.ts';
import { type ClientBox, scrollToShow, visibleView } from './board-geometry.ts';
import type { BoardCamera } from './camera.ts';

type Listener = () => void;

/**
 * Where the board is on screen and which part of it we see: measured from the DOM, announced on
 * every scroll, resize, zoom and pan (coalesced to one notice per animation frame), and brought
 * into view on request. The window scrolls up and down; sideways the camera pans the board
 * inside its frame, which clips it (camera.ts).
 *
 * Bars that float over the page (the sticky top bar, the dock at the bottom) carry
 * `data-overlay="top"` / `data-overlay="bottom"`: what is under them does not count as seen.
 */
export class BoardView {
  private board: HTMLElement | null = null;
  private frameEl: HTMLElement | null = null;
  private readonly listeners = new Set<Listener>();
  private frame = 0;
  private observer: ResizeObserver | null = null;

  constructor(private readonly camera: BoardCamera) {}

  attach(board: HTMLElement, frame: HTMLElement): () => void {
    this.board = board;
    this.frameEl = frame;
    const changed = () => this.changed();
    addEventListener('scroll', changed, { passive: true });
    addEventListener('resize', changed);
    const stopCamera = this.camera.subscribe(changed);
    // The frame resizes without a window resize too, e.g. when the list beside it wraps.
    this.observer = new ResizeObserver(changed);
    this.observer.observe(frame);
    this.changed();
    return () => {
      removeEventListener('scroll', changed);
      removeEventListener('resize', changed);
      stopCamera();
      this.observer?.disconnect();
      if (this.board === board) this.board = null;
      if (this.frameEl === frame) this.frameEl = null;
    };
  }

  /** Calls `fn` (at most once per frame) whenever the board moved on screen. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** The board's box in the window now (scaled), or null before it is on the page. */
  rect(): ScreenRect | null {
    return this.board?.getBoundingClientRect() ?? null;
  }

  /** The part of the window where the board can be seen: inside its frame, not under a bar. */
  visibleBox(): ClientBox {
    const box = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    const frame = this.frameEl?.getBoundingClientRect();
    if (frame) {
      box.left = Math.max(box.left, frame.left);
      box.right = Math.min(box.right, frame.right);
    }
    for (const el of document.querySelectorAll<HTMLElement>('[data-overlay]')) {
      const r = el.getBoundingClientRect();
      if (r.height === 0) continue;
      if (el.dataset.overlay === 'top') box.top = Math.max(box.top, r.bottom);
      else if (el.dataset.overlay === 'bottom') box.bottom = Math.min(box.bottom, r.top);
    }
    return box;
  }

  /** The part of the board we see, in board units (null when none of it is on screen). */
  view(): View | null {
    const rect = this.rect();
    return rect ? visibleView(rect, this.visibleBox()) : null;
  }

  /** The middle of what we see of the board, e.g. where to open a chat without a pointer. */
  center(): Point | null {
    const view = this.view();
    return view ? { x: view.x + Math.round(view.w / 2), y: view.y + Math.round(view.h / 2) } : null;
  }

  /**
   * Brings a region of the board (or a point: w = h = 0) into view: pans the board sideways
   * and scrolls the window up or down.
   */
  show(region: View, behavior: ScrollBehavior = 'instant'): void {
    const rect = this.rect();
    if (!rect) return;
    const { dx, dy } = scrollToShow(region, rect, this.visibleBox());
    if (dx) this.camera.panBy(-dx, 0);
    scrollBy({ top: Math.round(dy), behavior });
  }

  /** Shows what someone else sees: at their zoom (as far as our frame allows), then there. */
  follow(view: View): void {
    const frame = this.frameEl;
    if (!frame || view.w <= 0) return;
    this.camera.setScale(frame.clientWidth / view.w);
    this.show(view, 'instant');
  }

  private changed(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const fn of this.listeners) fn();
    });
  }
}
