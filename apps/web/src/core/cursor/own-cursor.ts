import type { Point } from '@cursorline/protocol';
import { ChatBubble } from '../../ui/chat-bubble.ts';
import type { BoardCamera } from './camera.ts';
import { sideFor } from './overlay-side.ts';

/**
 * Our own pointer on the board. The operating system draws the pointer itself; this keeps where
 * it is (for chat and reactions, which appear at it) and draws our own chat bubble beside it,
 * moving with it, as everyone else sees it beside our cursor.
 */
export class OwnCursor {
  /** Where the pointer last was on the board; kept after it leaves. null until it first comes. */
  last: Point | null = null;
  /** Whether the pointer is on the board now. */
  onBoard = false;
  readonly bubble = new ChatBubble('own-chat');
  private readonly el: HTMLDivElement;

  /** Stops following the camera (the page stops). */
  readonly stop: () => void;

  constructor(private readonly camera: BoardCamera) {
    this.el = document.createElement('div');
    this.el.className = 'own-cursor';
    this.el.append(this.bubble.el);
    this.stop = camera.subscribe(() => this.place());
  }

  attach(layer: HTMLElement): void {
    layer.append(this.el);
  }

  detach(): void {
    this.el.remove();
  }

  move(at: Point | null): void {
    this.onBoard = at !== null;
    if (!at) return; // the bubble stays where the pointer left
    this.last = at;
    this.place();
  }

  private place(): void {
    const at = this.last;
    if (!at) return;
    this.el.style.transform = `translate(${at.x}px, ${at.y}px) scale(var(--cursor-scale, 1))`;
    // Near the frame's right or bottom edge the bubble opens the other way (overlay-side.ts).
    this.el.dataset.side = sideFor(at, this.camera);
  }
}
