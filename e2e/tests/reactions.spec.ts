import { expect, test } from '@playwright/test';
import {
  BOARD,
  countAdded,
  expectCursorAt,
  moveOnBoard,
  openUser,
  uniqueRoom,
  userIdOf,
} from './users.ts';

test('a reaction bursts at the sender’s cursor for everyone, then goes', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('react');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada', query: 'transport=ws' });
  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'sockjs=xhr-streaming',
  });
  const adaId = await userIdOf(bob, 'Ada');
  const at = await moveOnBoard(ada, 0.6, 0.5);
  await expectCursorAt(bob, 'Ada', at);

  // Where the burst appears on Bob's screen, measured in his page the moment it appears (it only
  // lives 1.5 s: on a busy machine a round trip per measurement could outlast it).
  const appeared = bob.evaluate(
    (id) =>
      new Promise<{
        animation: string;
        emoji: string;
        x: number;
        y: number;
        board: { x: number; y: number; w: number; h: number };
      }>((resolve) => {
        const check = () => {
          const el = document.querySelector<HTMLElement>(
            `[data-testid="reaction"][data-user-id="${id}"]`,
          );
          const board = document.querySelector('[data-testid="board"]')?.getBoundingClientRect();
          if (!el || !board) return;
          observer.disconnect();
          const r = el.getBoundingClientRect();
          const emoji = el.querySelector('.reaction-emoji');
          resolve({
            animation: emoji ? getComputedStyle(emoji).animationName : 'none',
            emoji: el.dataset.emoji ?? '',
            x: r.x,
            y: r.y,
            board: { x: board.x, y: board.y, w: board.width, h: board.height },
          });
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true });
        check(); // it may be there already
      }),
    adaId,
  );
  // Keyboard: 3 is the third reaction.
  await ada.keyboard.press('3');
  const seen = await appeared;
  expect(seen.emoji).toBe('🎉');
  // At Ada's cursor on Bob's screen (where her cursor is headed: it may still be gliding).
  expect(Math.abs(seen.x - (seen.board.x + (at.x / BOARD.width) * seen.board.w))).toBeLessThan(3);
  expect(Math.abs(seen.y - (seen.board.y + (at.y / BOARD.height) * seen.board.h))).toBeLessThan(3);
  const burst = bob.locator(`[data-testid="reaction"][data-user-id="${adaId}"]`);
  // Ada sees her own burst.
  await expect(ada.locator('[data-testid="reaction"][data-emoji="🎉"]')).toHaveCount(1);
  // It is animated, and it goes after about 1.5 s.
  expect(seen.animation).toBe('burst');
  await expect(burst).toHaveCount(0, { timeout: 4000 });

  // The picker: Bob clicks ❤️; Ada sees it from Bob.
  const bobId = await userIdOf(ada, 'Bob');
  await bob.locator('[data-testid="reaction-button"][data-emoji="❤️"]').click();
  await expect(
    ada.locator(`[data-testid="reaction"][data-user-id="${bobId}"][data-emoji="❤️"]`),
  ).toHaveCount(1);
});

test('the page keeps reactions under the server’s rate limit', async ({ browser, baseURL }) => {
  const room = uniqueRoom('react-rate');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada' });
  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'transport=sockjs',
  });
  await moveOnBoard(ada, 0.5, 0.5);
  await expect(bob.getByTestId('presence-item')).toHaveCount(2);
  const sent = await countAdded(ada, 'reaction');
  const received = await countAdded(bob, 'reaction');

  // 30 shortcut presses within a millisecond: far over the server's limit (bursts of 10).
  await ada.evaluate(() => {
    for (let i = 0; i < 30; i++) {
      dispatchEvent(new KeyboardEvent('keydown', { key: String((i % 6) + 1) }));
    }
  });

  // Ada showed fewer than she pressed (the page held back, to a burst of 8), and Bob got
  // every one she showed: nothing was silently dropped by the server.
  const shown = await sent();
  expect(shown.length).toBeGreaterThanOrEqual(8);
  expect(shown.length).toBeLessThanOrEqual(9);
  await expect.poll(async () => (await received()).length).toBe(shown.length);
  expect(await received()).toEqual(shown);
});
