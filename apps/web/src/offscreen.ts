import type { PresenceClient } from '@cursorline/client';
import type { UserState } from '@cursorline/protocol';
import { boardToClient, edgeMarker } from './board-geometry.ts';
import { boardView } from './board-view.ts';
import { initialOf } from './initial.ts';
import { prefersReducedMotion } from './motion.ts';

/** Distance of a marker's center from the window edge (px). */
const INSET = 22;

interface Marker {
  el: HTMLButtonElement;
  initial: HTMLSpanElement;
}

/**
 * Markers on the window's edge for people whose cursor is out of sight: a colored disc with
 * their initial and an arrow toward them; clicking one scrolls to them. Positions come from the
 * client's user objects (updated in place on every batch); the markers are drawn at most once
 * per animation frame, straight into the DOM.
 */
export class OffscreenMarkers {
  private layer: HTMLElement | null = null;
  private readonly markers = new Map<number, Marker>();
  private frame = 0;

  constructor(private readonly client: PresenceClient) {
    boardView.subscribe(() => this.update());
  }

  attach(layer: HTMLElement): void {
    this.layer = layer;
    for (const { el } of this.markers.values()) layer.append(el);
    this.schedule();
  }

  detach(layer: HTMLElement): void {
    if (this.layer === layer) this.layer = null;
  }

  /** Something moved or changed: redraw on the next frame (many calls, one redraw). */
  schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.update());
  }

  private update(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const rect = boardView.rect();
    const visible = boardView.visibleBox();
    const seen = new Set<number>();
    for (const user of this.client.users.values()) {
      if (!rect || !user.at) continue;
      const place = edgeMarker(boardToClient(user.at, rect), visible, INSET);
      if (!place) continue;
      seen.add(user.id);
      const { el } = this.markerFor(user);
      el.style.transform = `translate(${place.x}px, ${place.y}px)`;
      el.style.setProperty('--angle', `${place.angle}deg`);
    }
    for (const [id, marker] of this.markers) {
      if (!seen.has(id)) {
        marker.el.remove();
        this.markers.delete(id);
      }
    }
  }

  private markerFor(user: UserState): Marker {
    let marker = this.markers.get(user.id);
    if (!marker) {
      const el = document.createElement('button');
      el.type = 'button';
      el.className = 'offscreen-marker';
      el.dataset.testid = 'offscreen-marker';
      el.dataset.userId = String(user.id);
      const arrow = document.createElement('span');
      arrow.className = 'offscreen-arrow';
      arrow.setAttribute('aria-hidden', 'true');
      const initial = document.createElement('span');
      initial.className = 'offscreen-initial';
      initial.setAttribute('aria-hidden', 'true');
      el.append(arrow, initial);
      const id = user.id;
      el.addEventListener('click', () => this.scrollTo(id));
      marker = { el, initial };
      this.markers.set(id, marker);
      this.layer?.append(el);
    }
    // Cheap to repeat, and keeps name, color and state current without more bookkeeping.
    const { el, initial } = marker;
    el.style.setProperty('--cursor-color', user.color);
    el.dataset.state = user.state;
    const label = `Scroll to ${user.name}`;
    if (el.title !== label) {
      el.title = label;
      el.setAttribute('aria-label', label);
      initial.textContent = initialOf(user.name);
    }
    return marker;
  }

  private scrollTo(id: number): void {
    const at = this.client.users.get(id)?.at;
    if (!at) return;
    boardView.show({ ...at, w: 0, h: 0 }, prefersReducedMotion() ? 'instant' : 'smooth');
  }
}
