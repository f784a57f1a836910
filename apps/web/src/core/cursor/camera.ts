import { BOARD_HEIGHT, BOARD_WIDTH } from '@cursorline/protocol';
import { panRange, type ScaleLimits, scaleLimits } from './camera-math.ts';

type Listener = () => void;

/**
 * How the board is shown: its zoom (screen pixels per board unit) and how far it is panned
 * sideways inside its frame. Vertically the frame takes the board's scaled height in the page
 * and the window scrolls, as before zooming existed; sideways the frame clips (overflow: clip,
 * so nothing can scroll it, not even focusing an input near its edge) and the board is moved
 * with a transform. Styles are written here directly: a pinch changes the zoom every frame,
 * and nothing in React depends on it but the zoom label.
 *
 * Board positions never change with the zoom: everything inside the board is laid out in
 * board units, so everyone still points at the same content.
 */
export class BoardCamera {
  private frame: HTMLElement | null = null;
  private board: HTMLElement | null = null;
  private readonly listeners = new Set<Listener>();
  private observer: ResizeObserver | null = null;
  private limits: ScaleLimits = { min: 0.1, max: 2.5, opening: 1 };
  /** Screen pixels per board unit. */
  scale = 1;
  /** The board's left edge, in pixels from the frame's left edge (≤ 0 when it is wider). */
  panX = 0;
  /** The frame's inner width in pixels. */
  frameWidth = 0;
  /** The user (or follow mode) chose a zoom: a resize keeps it instead of fitting again. */
  private chosen = false;

  attach(frame: HTMLElement, board: HTMLElement): () => void {
    this.frame = frame;
    this.board = board;
    this.observer = new ResizeObserver(() => this.refit());
    this.observer.observe(frame);
    addEventListener('resize', this.onResize);
    this.refit();
    return () => {
      this.observer?.disconnect();
      removeEventListener('resize', this.onResize);
      if (this.frame === frame) this.frame = null;
      if (this.board === board) this.board = null;
    };
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** The zoom the page opened at: the board fits, or is readable on a phone. */
  get opening(): number {
    return this.limits.opening;
  }

  get min(): number {
    return this.limits.min;
  }

  get max(): number {
    return this.limits.max;
  }

  /**
   * Zooms to `next`, keeping the board point under the window point (ax, ay) where it is (the
   * pointer, the pinch's middle, or the middle of what is seen for keys and buttons).
   */
  zoomTo(next: number, ax?: number, ay?: number): void {
    const frame = this.frame;
    const board = this.board;
    if (!frame || !board) return;
    const scale = Math.min(this.limits.max, Math.max(this.limits.min, next));
    const frameBox = frame.getBoundingClientRect();
    const anchorX = ax ?? frameBox.left + frameBox.width / 2;
    const anchorY = ay ?? (Math.max(frameBox.top, 0) + Math.min(frameBox.bottom, innerHeight)) / 2;
    const px = (anchorX - frameBox.left - this.panX) / this.scale;
    const py = (anchorY - frameBox.top) / this.scale;
    this.chosen = true;
    this.scale = scale;
    this.panX = anchorX - frameBox.left - px * scale;
    this.apply();
    // The frame's top stays put in the page; scroll so the anchor's board row is back under it.
    const top = frame.getBoundingClientRect().top;
    scrollBy({ top: top + py * scale - anchorY, behavior: 'instant' });
  }

  zoomBy(factor: number, ax?: number, ay?: number): void {
    this.zoomTo(this.scale * factor, ax, ay);
  }

  /** The board is wider than its frame, so it can pan sideways. */
  get pannable(): boolean {
    return BOARD_WIDTH * this.scale > this.frameWidth + 1;
  }

  /** Back to the opening zoom, the board's left edge at the frame's. */
  reset(): void {
    this.chosen = false;
    this.scale = this.limits.opening;
    this.panX = 0;
    this.apply();
  }

  /** Pans by screen pixels: sideways inside the frame, up and down by scrolling the window. */
  panBy(dx: number, dy: number): void {
    this.panX += dx;
    this.apply();
    if (dy) scrollBy({ top: -dy, behavior: 'instant' });
  }

  /** Puts board column `x` at `screenX` pixels from the frame's left edge (follow, markers). */
  panToColumn(x: number, screenX: number): void {
    this.panX = screenX - x * this.scale;
    this.apply();
  }

  /** Sets the zoom without an anchor (follow mode, which then places the view itself). */
  setScale(scale: number): void {
    this.chosen = true;
    this.scale = Math.min(this.limits.max, Math.max(this.limits.min, scale));
    this.apply();
  }

  private readonly onResize = () => this.refit();

  private refit(): void {
    const frame = this.frame;
    if (!frame) return;
    this.frameWidth = frame.clientWidth;
    const top = frame.getBoundingClientRect().top + scrollY;
    this.limits = scaleLimits({
      frameWidth: this.frameWidth,
      // Room for the whole board under the top bar and above the dock, if it nearly fits.
      roomHeight: innerHeight - Math.min(top, 200) - dockHeight() - 16,
      windowWidth: innerWidth,
      coarse: matchMedia('(pointer: coarse)').matches,
    });
    if (!this.chosen) this.scale = this.limits.opening;
    this.apply();
  }

  private apply(): void {
    const { frame, board } = this;
    if (!frame || !board) return;
    const range = panRange(this.frameWidth, BOARD_WIDTH * this.scale);
    this.panX = Math.min(range.max, Math.max(range.min, this.panX));
    frame.style.height = `${BOARD_HEIGHT * this.scale}px`;
    board.style.transform = `translate(${this.panX}px, 0) scale(${this.scale})`;
    board.style.setProperty('--cursor-scale', String(1 / this.scale));
    // Overlays (chat, labels) keep to half the frame, so one that flips always fits (cursors.ts).
    frame.style.setProperty('--overlay-max', `${Math.min(260, this.frameWidth / 2 - 24)}px`);
    for (const fn of this.listeners) fn();
  }
}

function dockHeight(): number {
  const dock = document.querySelector('[data-overlay="bottom"]');
  return dock ? innerHeight - dock.getBoundingClientRect().top : 0;
}
