import type { Point, Pointer, PresenceState, UserState } from '@cursorline/protocol';
import { ChatBubble } from '../../ui/chat-bubble.ts';
import { prefersReducedMotion } from '../../ui/motion.ts';
import { paintUser } from '../../ui/user-color.ts';
import type { BoardCamera } from './camera.ts';
import { type LabelBox, quietLabels } from './label-crowd.ts';
import { type Side, sideFor } from './overlay-side.ts';

interface CursorNode {
  el: HTMLDivElement;
  label: HTMLSpanElement;
  chat: ChatBubble;
  /** Where the cursor is drawn now; null while hidden. */
  shown: Point | null;
  /** The newest position received. */
  target: Point;
  /** The newest position ever received, kept while the cursor is hidden; null before any. */
  lastSeen: Point | null;
  /** Which way label and bubble open (overlay-side.ts), as last written to the element. */
  side: Side;
  /** The label's width in pixels, estimated from the name (measuring would cost a layout). */
  labelWidth: number;
}

/** How often crowded labels are sorted out: often enough to follow, far below the frame rate. */
const CROWD_EVERY_MS = 250;

/** Time constant of the glide toward a new position: about one server tick. */
const SMOOTHING_MS = 35;

// A classic arrow, its tip at (0, 0) so the element's position is exactly the pointed spot.
// The markup is a constant; user names only ever go through textContent, never innerHTML.
const ARROW_SVG =
  '<svg class="cursor-arrow" width="18" height="22" viewBox="0 0 18 22" aria-hidden="true">' +
  '<path d="M0 0V17L4.5 12.8L7.4 19.2L10.2 18L7.4 11.7H13.5Z"/></svg>';

/**
 * Other users' cursors, drawn straight into the DOM. Positions arrive 25 times a second per
 * user; going through React state would re-render on every one of them. Here a move is two
 * attribute writes and a style write on one element, and React never hears about it.
 *
 * Nodes live in this object, not in the page, so events that arrive before the layer is on
 * screen (or while React remounts it) are kept and shown once attach() is called.
 */
export class RemoteCursors {
  private readonly nodes = new Map<number, CursorNode>();
  private container: HTMLElement | null = null;
  private frame = 0;
  private crowdTimer: ReturnType<typeof setTimeout> | undefined;
  /** Our own pointer on the board: the label under it is shown in full. */
  private pointer: Point | null = null;

  /** Stops following the camera and takes every cursor down (the page stops). */
  readonly stop: () => void;

  constructor(private readonly camera: BoardCamera) {
    // A zoom or pan moves every cursor on screen, so which way its label opens may change.
    const stopCamera = camera.subscribe(() => {
      for (const node of this.nodes.values()) this.place(node);
      this.scheduleCrowd();
    });
    this.stop = () => {
      stopCamera();
      cancelAnimationFrame(this.frame);
      clearTimeout(this.crowdTimer);
      for (const id of [...this.nodes.keys()]) this.remove(id);
    };
  }

  attach(container: HTMLElement): void {
    this.container = container;
    for (const { el } of this.nodes.values()) container.append(el);
  }

  detach(container: HTMLElement): void {
    if (this.container === container) this.container = null;
  }

  /** After a (re)connection: exactly the users in the snapshot, where they are now. */
  reset(users: readonly UserState[]): void {
    for (const id of [...this.nodes.keys()]) this.remove(id);
    for (const user of users) this.add(user);
  }

  add(user: UserState): void {
    this.remove(user.id);
    const el = document.createElement('div');
    el.className = 'cursor';
    el.dataset.testid = 'cursor';
    el.dataset.userId = String(user.id);
    paintUser(el, user.color);
    el.innerHTML = ARROW_SVG;
    const label = document.createElement('span');
    label.className = 'cursor-label';
    label.dataset.testid = 'cursor-label';
    const chat = new ChatBubble('cursor-chat', el);
    el.append(label, chat.el);

    el.hidden = true;
    const node: CursorNode = {
      el,
      label,
      chat,
      shown: null,
      target: { x: 0, y: 0 },
      lastSeen: null,
      side: '',
      labelWidth: 0,
    };
    this.nodes.set(user.id, node);
    this.rename(user.id, user.name);
    this.setPresence(user.id, user.state);
    this.setPointer(user.id, user.pointer);
    this.move(user.id, user.at);
    this.container?.append(el);
  }

  remove(id: number): void {
    const node = this.nodes.get(id);
    node?.chat.clear();
    node?.el.remove();
    this.nodes.delete(id);
  }

  rename(id: number, name: string): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.el.dataset.name = name;
    this.setLabel(id, name);
  }

  /** The text beside a cursor: the name, or the name with a suffix when names look alike. */
  setLabel(id: number, text: string): void {
    const node = this.nodes.get(id);
    if (!node || node.label.textContent === text) return;
    node.label.textContent = text;
    node.labelWidth = Math.min(200, 16 + text.length * 7.5);
  }

  /**
   * active / idle / away / offline, for CSS (idle and away are dimmed). An offline user's
   * cursor stays where it was, dimmed, while the server holds their seat for them to come back.
   */
  setPresence(id: number, state: PresenceState): void {
    const node = this.nodes.get(id);
    if (node) node.el.dataset.state = state;
    this.scheduleCrowd();
  }

  /** Mouse, touch or pen, and whether it is pressed: each has its own look (see styles.css). */
  setPointer(id: number, pointer: Pointer): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.el.dataset.pointer = pointer.kind;
    node.el.dataset.pressed = String(pointer.pressed);
  }

  /** A chat message beside the user's cursor; '' takes it down. */
  chat(id: number, text: string): void {
    this.nodes.get(id)?.chat.say(text);
    this.scheduleCrowd();
  }

  /** Where our own pointer is on the board (null: off it), so the label under it shows. */
  pointerAt(at: Point | null): void {
    this.pointer = at;
    this.scheduleCrowd();
  }

  /** Where the user's cursor was last seen, even if it is hidden now (for reactions). */
  lastSeen(id: number): Point | null {
    return this.nodes.get(id)?.lastSeen ?? null;
  }

  /** null: the user's pointer is off the board, so their cursor is hidden. */
  move(id: number, at: Point | null): void {
    const node = this.nodes.get(id);
    if (!node) return;
    const { el } = node;
    if (at === null) {
      el.hidden = true;
      node.shown = null;
      delete el.dataset.x;
      delete el.dataset.y;
      return;
    }
    // data-x / data-y always carry the newest position received (tests read them).
    el.dataset.x = String(at.x);
    el.dataset.y = String(at.y);
    node.target = { ...at };
    node.lastSeen = { ...at };
    this.scheduleCrowd();
    if (node.shown === null || prefersReducedMotion()) {
      // A cursor that appears, or a user who asked for less motion: jump, do not glide.
      node.shown = { ...at };
      this.place(node);
      el.hidden = false;
      return;
    }
    this.animate();
  }

  /**
   * Positions arrive once per server tick (40 ms), the screen refreshes every 16 ms. Drawing
   * only the received points would make cursors jump; instead each frame moves every cursor a
   * share of the way to its newest point (exponential smoothing), so motion looks continuous
   * and still ends exactly where the user pointed.
   */
  private animate(): void {
    if (this.frame !== 0) return;
    let last = performance.now();
    const step = (now: number) => {
      const share = 1 - Math.exp(-(now - last) / SMOOTHING_MS);
      last = now;
      let moving = false;
      for (const node of this.nodes.values()) {
        const { shown, target } = node;
        if (!shown || (shown.x === target.x && shown.y === target.y)) continue;
        const dx = target.x - shown.x;
        const dy = target.y - shown.y;
        if (Math.abs(dx) < 0.5 && Math.abs(dy) < 0.5) {
          node.shown = { ...target };
        } else {
          node.shown = { x: shown.x + dx * share, y: shown.y + dy * share };
          moving = true;
        }
        this.place(node);
      }
      this.frame = moving ? requestAnimationFrame(step) : 0;
    };
    this.frame = requestAnimationFrame(step);
  }

  private place(node: CursorNode): void {
    const { el, shown } = node;
    if (!shown) return;
    // The layer is inside the scaled board, so board units are the pixels here. The extra
    // scale (set by the camera) undoes the board's, keeping arrow and label readable at any zoom.
    el.style.transform = `translate(${shown.x}px, ${shown.y}px) scale(var(--cursor-scale, 1))`;
    const side = sideFor(shown, this.camera);
    if (side !== node.side) {
      node.side = side;
      el.dataset.side = side;
    }
  }

  private scheduleCrowd(): void {
    this.crowdTimer ??= setTimeout(() => {
      this.crowdTimer = undefined;
      this.sortCrowd();
    }, CROWD_EVERY_MS);
  }

  /** Fades the labels that would bury each other (label-crowd.ts decides which). */
  private sortCrowd(): void {
    const { scale, panX } = this.camera;
    const boxes: LabelBox[] = [];
    for (const [id, node] of this.nodes) {
      const at = node.shown;
      if (!at) continue;
      const x = panX + at.x * scale;
      const y = at.y * scale;
      const near =
        this.pointer !== null &&
        Math.hypot((this.pointer.x - at.x) * scale, (this.pointer.y - at.y) * scale) < 40;
      const state = node.el.dataset.state;
      const rank = node.chat.showing ? 3 : near ? 2 : state === 'active' ? 1 : 0;
      const w = node.labelWidth;
      boxes.push({
        id,
        x: node.side.includes('x') ? x - 4 - w : x + 12,
        y: node.side.includes('y') ? y - 26 : y + 18,
        w,
        h: 22,
        rank,
      });
    }
    const quiet = quietLabels(boxes);
    for (const [id, node] of this.nodes) {
      const value = quiet.has(id) ? 'true' : 'false';
      if (node.el.dataset.quiet !== value) node.el.dataset.quiet = value;
    }
  }
}
