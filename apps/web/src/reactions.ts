import type { PresenceClient } from '@cursorline/client';
import { BOARD_HEIGHT, BOARD_WIDTH, type Reaction } from '@cursorline/protocol';
import { boardView } from './board-view.ts';
import { bursts } from './bursts.ts';
import type { RemoteCursors } from './cursors.ts';
import { ownCursor } from './own-cursor.ts';
import { usePresence } from './store.ts';
import { TokenBucket } from './token-bucket.ts';

const BOARD_CENTER = { x: BOARD_WIDTH / 2, y: BOARD_HEIGHT / 2 };

/**
 * Reactions burst where the sender's cursor is, for everyone. "Where the cursor is" is where it
 * was last seen: reacting with a button outside the board takes the pointer off it first, and
 * the burst should still come from where the user was.
 */
export class Reactions {
  // The server relays 5 a second (bursts of 10) and silently drops the rest. Staying below
  // that means every burst we show ourselves is one the others see too.
  private readonly rate = new TokenBucket(4, 8);

  constructor(
    private readonly client: PresenceClient,
    cursors: RemoteCursors,
  ) {
    client.on('react', (id, emoji) => {
      const view = client.users.get(id)?.view;
      const viewCenter = view && { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      bursts.burst(id, emoji, cursors.lastSeen(id) ?? viewCenter ?? BOARD_CENTER);
    });
  }

  /**
   * Sends a reaction and shows it at our own cursor; false when over the rate limit, which the
   * dock then says (a reaction that silently does nothing looks broken).
   */
  send(emoji: Reaction): boolean {
    const { self, cursorHidden } = usePresence.getState();
    if (cursorHidden) return false;
    if (!this.rate.take()) {
      usePresence.setState({ reactionRefusedAt: Date.now() });
      return false;
    }
    this.client.react(emoji);
    bursts.burst(self?.id ?? 0, emoji, ownCursor.last ?? boardView.center() ?? BOARD_CENTER);
    return true;
  }
}
