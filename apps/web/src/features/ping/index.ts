import { MESSAGE_RATES, type Point, senderRate, TokenBucket } from '@cursorline/protocol';
import { defineFeature, type Page, undoAll } from '../../core/feature.ts';
import { prefersReducedMotion } from '../../ui/motion.ts';
import { paintUser } from '../../ui/user-color.ts';

/** How long a ring shows. */
export const RING_MS = 900;
/** A room clicking at once: past this many rings the oldest go early. */
const MAX_RINGS = 30;

/**
 * Pings: Alt+click on the board shows a ring there, in the sender's colour, for everyone ("look
 * here"). The whole feature is this file, one schema in the protocol and one line in the
 * server's handler table: a relayed `ping` message (docs/recipes/add-a-message.md walks through
 * it). Rings are drawn into the cursor layer without React, like reaction bursts.
 */
export class Rings {
  private layer: HTMLElement | null = null;
  private readonly live: HTMLElement[] = [];
  // The server drops pings over its limit silently (MESSAGE_RATES.ping); stay below it, so every
  // ring we see ourselves is one the others see too.
  private readonly rate = TokenBucket.of(senderRate(MESSAGE_RATES.ping));

  constructor(private readonly page: Page) {}

  attach(layer: HTMLElement): () => void {
    this.layer = layer;
    return () => {
      if (this.layer === layer) this.layer = null;
    };
  }

  /** Our own ping: shown at once here, sent to the others. False when too fast. */
  send(at: Point): boolean {
    const self = this.page.store.getState().self;
    if (!self || !this.rate.take()) return false;
    this.page.client.send({ t: 'ping', at });
    this.show(self.id, self.color, at);
    return true;
  }

  /** Someone else's ping, in their colour (a user we have not heard of yet gets none). */
  received(id: number, at: Point): void {
    const user = this.page.client.users.get(id);
    if (user) this.show(id, user.color, at);
  }

  private show(userId: number, color: string, at: Point): void {
    if (!this.layer) return;
    const el = document.createElement('div');
    el.dataset.testid = 'ping';
    el.dataset.userId = String(userId);
    // Styled here rather than in styles.css, so the feature stays one file. The page's CSP allows
    // this: it forbids style attributes in markup, not properties set from a script.
    Object.assign(el.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      width: '48px',
      height: '48px',
      margin: '-24px 0 0 -24px',
      borderRadius: '50%',
      // The user's colour in the page's theme, as their cursor has it (ui/user-color.ts).
      border: '4px solid var(--cursor-color)',
      pointerEvents: 'none',
      transform: `translate(${at.x}px, ${at.y}px)`,
    });
    paintUser(el, color);
    this.layer.append(el);
    this.live.push(el);
    if (this.live.length > MAX_RINGS) this.live.shift()?.remove();
    // A ring that grows and fades; for users who asked for less motion it just shows a moment.
    if (!prefersReducedMotion()) {
      el.animate?.(
        [
          { transform: `translate(${at.x}px, ${at.y}px) scale(0.3)`, opacity: 1 },
          { transform: `translate(${at.x}px, ${at.y}px) scale(1.6)`, opacity: 0 },
        ],
        { duration: RING_MS, easing: 'ease-out' },
      );
    }
    setTimeout(() => {
      el.remove();
      const i = this.live.indexOf(el);
      if (i >= 0) this.live.splice(i, 1);
    }, RING_MS);
  }
}

export const pingFeature = defineFeature<Rings>({
  name: 'ping',
  start(page) {
    const rings = new Rings(page);
    return {
      api: rings,
      stop: undoAll(
        page.cursorLayer.use((el) => rings.attach(el)),
        page.client.onRelay('ping', ({ id, at }) => rings.received(id, at)),
        // Alt+press is a ping, not a press: our cursor does not show as pressed for it.
        page.gestures.add({ press: (at, e) => e.altKey && rings.send(at) }),
      ),
    };
  },
});
