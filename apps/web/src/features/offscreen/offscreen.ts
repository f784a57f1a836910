import type { UserState } from '@cursorline/protocol';
import { boardToClient, edgeMarker } from '../../core/cursor/board-geometry.ts';
import type { BoardView } from '../../core/cursor/board-view.ts';
import type { PageClient } from '../../core/feature.ts';
import { initialOf } from '../../ui/initial.ts';
import { prefersReducedMotion } from '../../ui/motion.ts';
import { paintUser } from '../../ui/user-color.ts';
import { clusterMarkers, type Placed } from './marker-clusters.ts';

/** Distance of a marker's center from the edge of the visible board (px). */
const INSET = 22;

interface Marker {
  el: HTMLButtonElement;
  initial: HTMLSpanElement;
}

/**
 * Markers on the edge of the visible board for people whose cursor is out of sight: a colored
 * disc with their initials and an arrow toward them; clicking one brings them into view. Markers
 * that would overlap become one cluster, a disc with the number of people in it
 * (marker-clusters.ts); clicking it brings the first of them into view. Positions come from the
 * client's user map (a new one on every batch); the markers are drawn at most once per
 * animation frame, straight into the DOM.
 */
export class OffscreenMarkers {
  private layer: HTMLElement | null = null;
  private readonly markers = new Map<number, Marker>();
  /** Cluster discs, reused from one redraw to the next (the extra ones are taken down). */
  private readonly clusters: HTMLButtonElement[] = [];
  private frame = 0;

  constructor(
    private readonly client: PageClient,
    private readonly boardView: BoardView,
  ) {}

  /** Redraws whenever the board moves on screen; returns the cleanup. */
  watch(): () => void {
    const stop = this.boardView.subscribe(() => this.update());
    return () => {
      stop();
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    };
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
    const rect = this.boardView.rect();
    const visible = this.boardView.visibleBox();
    const seen = new Set<number>();
    const placed: Placed<UserState>[] = [];
    for (const user of this.client.users.values()) {
      if (!rect || !user.at) continue;
      const place = edgeMarker(boardToClient(user.at, rect), visible, INSET);
      if (place) placed.push({ item: user, place });
    }
    let used = 0;
    for (const cluster of clusterMarkers(placed)) {
      const first = cluster[0];
      if (!first) continue;
      const { place } = first;
      let el: HTMLButtonElement;
      if (cluster.length === 1) {
        seen.add(first.item.id);
        el = this.markerFor(first.item).el;
      } else {
        el = this.clusterFor(
          used++,
          cluster.map((p) => p.item),
        );
      }
      el.style.transform = `translate(${place.x}px, ${place.y}px)`;
      el.style.setProperty('--angle', `${place.angle}deg`);
    }
    for (const extra of this.clusters.splice(used)) extra.remove();
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
    if (el.dataset.color !== user.color) {
      el.dataset.color = user.color;
      paintUser(el, user.color);
    }
    el.dataset.state = user.state;
    const label = `Scroll to ${user.name}`;
    if (el.title !== label) {
      el.title = label;
      el.setAttribute('aria-label', label);
      initial.textContent = initialOf(user.name);
    }
    return marker;
  }

  /** Cluster disc number `index`, showing how many people are in it and who. */
  private clusterFor(index: number, users: UserState[]): HTMLButtonElement {
    let el = this.clusters[index];
    if (!el) {
      el = document.createElement('button');
      el.type = 'button';
      el.className = 'offscreen-marker offscreen-cluster';
      el.dataset.testid = 'offscreen-cluster';
      const arrow = document.createElement('span');
      arrow.className = 'offscreen-arrow';
      arrow.setAttribute('aria-hidden', 'true');
      const count = document.createElement('span');
      count.className = 'offscreen-initial';
      el.append(arrow, count);
      // The first member when clicked: read at click time, the cluster changes every frame.
      el.addEventListener('click', () => {
        const id = Number(el?.dataset.userId);
        if (id) this.scrollTo(id);
      });
      this.clusters[index] = el;
    }
    if (!el.isConnected) this.layer?.append(el);
    const first = users[0];
    el.dataset.userId = String(first?.id ?? '');
    el.dataset.count = String(users.length);
    const count = el.lastElementChild;
    if (count && count.textContent !== String(users.length))
      count.textContent = String(users.length);
    const names = users.slice(0, 5).map((u) => u.name);
    const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
    const label = `${users.length} people out of sight: ${names.join(', ')}${more}`;
    if (el.title !== label) {
      el.title = label;
      el.setAttribute('aria-label', label);
    }
    return el;
  }

  private scrollTo(id: number): void {
    const at = this.client.users.get(id)?.at;
    if (!at) return;
    this.boardView.show({ ...at, w: 0, h: 0 }, prefersReducedMotion() ? 'instant' : 'smooth');
  }
}
