import {
  BOARD_HEIGHT,
  BOARD_WIDTH,
  MESSAGE_RATES,
  senderRate,
  TokenBucket,
} from '@cursorline/protocol';
import type { Page } from '../../core/feature.ts';
import { cleanChat } from './chat-text.ts';

/**
 * Cursor chat: a short message shown beside our cursor for everyone. Opening it puts a small
 * input where our pointer is; with no pointer on the board (keyboard, or a button outside it)
 * the input goes in the middle of what we see, and our cursor is shown there to the others,
 * since that is where they will look for the message.
 */
export class CursorChat {
  // The server drops chat over its limit silently (MESSAGE_RATES.chat); stay below that.
  private readonly rate = TokenBucket.of(senderRate(MESSAGE_RATES.chat));

  constructor(private readonly page: Page) {}

  open(): void {
    const { store, ownCursor } = this.page;
    const state = store.getState();
    if (state.cursorHidden || state.chatAt) return;
    const at = ownCursor.onBoard && ownCursor.last ? ownCursor.last : this.placeWithoutPointer();
    store.actions.chatOpened(at);
  }

  close(): void {
    this.page.store.actions.chatClosed();
  }

  /**
   * Sends what was typed and closes the input. Empty text takes our bubble down early. Returns
   * false when the message cannot go (too fast), leaving the input open.
   */
  send(input: string): boolean {
    const { client, ownCursor } = this.page;
    const text = cleanChat(input);
    if (text === null) return false;
    if (text === '' && !ownCursor.bubble.showing) {
      this.close();
      return true;
    }
    if (!this.rate.take()) return false;
    client.chat(text);
    ownCursor.bubble.say(text);
    this.close();
    return true;
  }

  private placeWithoutPointer() {
    const { boardView, ownCursor, client } = this.page;
    const at = boardView.center() ?? { x: BOARD_WIDTH / 2, y: BOARD_HEIGHT / 2 };
    ownCursor.move(at);
    ownCursor.onBoard = false; // the real pointer is still elsewhere
    client.move(at);
    return at;
  }
}
