import type { Point, Reaction } from '@cursorline/protocol';
import type { BoardCamera } from '../../core/cursor/camera.ts';
import { burstPoint } from '../../core/cursor/overlay-side.ts';

/** How long a reaction stays on screen (the CSS animation lasts as long). */
export const BURST_MS = 1500;
/** More than this many at once (a whole room reacting) and the oldest go early. */
const MAX_BURSTS = 40;

/**
 * Reactions burst at the sender's cursor: an emoji that floats up and fades (or, for users who
 * asked for less motion, just shows for a moment; see styles.css). Drawn straight into the
 * cursor layer like the cursors, so a room full of reactions never renders React.
 */
export class ReactionBursts {
  private layer: HTMLElement | null = null;
  private readonly live: HTMLElement[] = [];

  constructor(private readonly camera: BoardCamera) {}

  attach(layer: HTMLElement): void {
    this.layer = layer;
  }

  detach(layer: HTMLElement): void {
    if (this.layer === layer) this.layer = null;
  }

  burst(userId: number, emoji: Reaction, cursor: Point): void {
    if (!this.layer) return;
    // Moved in from the edges of what we see, so the emoji and its rise are not cut off.
    const at = burstPoint(cursor, this.camera);
    const el = document.createElement('div');
    el.className = 'reaction';
    el.dataset.testid = 'reaction';
    el.dataset.emoji = emoji;
    el.dataset.userId = String(userId);
    // The outer element sits at the cursor; the inner one is animated, so the animation's own
    // scale cannot also scale the distance from the board's corner.
    el.style.transform = `translate(${at.x}px, ${at.y}px) scale(var(--cursor-scale, 1))`;
    const emojiEl = document.createElement('span');
    emojiEl.className = 'reaction-emoji';
    emojiEl.textContent = emoji;
    // A little sideways scatter, so several bursts in a row do not stack into one.
    emojiEl.style.setProperty('--drift', `${Math.round((Math.random() - 0.5) * 40)}px`);
    el.append(emojiEl);
    this.layer.append(el);
    this.live.push(el);
    if (this.live.length > MAX_BURSTS) this.live.shift()?.remove();
    setTimeout(() => {
      el.remove();
      const i = this.live.indexOf(el);
      if (i >= 0) this.live.splice(i, 1);
    }, BURST_MS);
  }
}
