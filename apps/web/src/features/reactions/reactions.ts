import {
  BOARD_HEIGHT,
  BOARD_WIDTH,
  MESSAGE_RATES,
  type Reaction,
  senderRate,
  TokenBucket,
} from '@cursorline/protocol';
import type { Page } from '../../core/feature.ts';
import type { ReactionBursts } from './bursts.ts';

const BOARD_CENTER = { x: BOARD_WIDTH / 2, y: BOARD_HEIGHT / 2 };

/**
 * Reactions burst where the sender's cursor is, for everyone. "Where the cursor is" is where it
 * was last seen: reacting with a button outside the board takes the pointer off it first, and
 * the burst should still come from where the user was.
 */
export class Reactions {
  // The server silently drops reactions over its limit (MESSAGE_RATES.react). Staying below
  // it means every burst we show ourselves is one the others see too.
  private readonly rate = TokenBucket.of(senderRate(MESSAGE_RATES.react));

  constructor(
    private readonly page: Page,
    private readonly bursts: ReactionBursts,
  ) {}

  /** Someone else's reaction: at their cursor, or the middle of their view, or of the board. */
  received(id: number, emoji: Reaction): void {
    const { client, cursors } = this.page;
    const view = client.users.get(id)?.view;
    const viewCenter = view && { x: view.x + view.w / 2, y: view.y + view.h / 2 };
    this.bursts.burst(id, emoji, cursors.lastSeen(id) ?? viewCenter ?? BOARD_CENTER);
  }

  /**
   * Sends a reaction and shows it at our own cursor; false when over the rate limit, which the
   * dock then says (a reaction that silently does nothing looks broken).
   */
  send(emoji: Reaction): boolean {
    const { store, client, ownCursor, boardView } = this.page;
    const { self, cursorHidden } = store.getState();
    if (cursorHidden) return false;
    if (!this.rate.take()) {
      store.actions.reactionRefused(Date.now());
      return false;
    }
    client.react(emoji);
    this.bursts.burst(self?.id ?? 0, emoji, ownCursor.last ?? boardView.center() ?? BOARD_CENTER);
    return true;
  }
}
