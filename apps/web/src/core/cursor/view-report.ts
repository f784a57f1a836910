import type { View } from '@cursorline/protocol';
import type { PageClient } from '../feature.ts';
import type { BoardView } from './board-view.ts';

/**
 * Tells the room which part of the board we have on screen, so others can follow us. Sent on
 * every scroll and resize (the client sends at most 10 a second, newest wins), and only when it
 * changed: a scroll that ends where it started is no news.
 */
export function reportView(client: PageClient, boardView: BoardView): () => void {
  let last: View | null = null;
  const report = () => {
    const view = boardView.view();
    if (!view) return;
    if (last && last.x === view.x && last.y === view.y && last.w === view.w && last.h === view.h) {
      return;
    }
    last = view;
    client.setView(view);
  };
  report();
  return boardView.subscribe(report);
}
