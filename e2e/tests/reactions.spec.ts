import { expect, test } from '@playwright/test';
import {
  BOARD,
  countAdded,
  expectCursorAt,
  moveOnBoard,
  openAdaAndBob,
  openUser,
  uniqueRoom,
  userIdOf,
  whenAppears,
} from './users.ts';

test('a reaction bursts at the sender’s cursor for everyone, then goes', async ({
  browser,
  baseURL,
}) => {
  const { ada, bob } = await openAdaAndBob(browser, baseURL, 'react', 'sockjs=xhr-streaming');
  const adaId = await userIdOf(bob, 'Ada');
  const at = await moveOnBoard(ada, 0.6, 0.5);
  await expectCursorAt(bob, 'Ada', at);

  // Where the burst appears on Bob's screen, measured the moment it appears.
  const appeared = whenAppears(bob, `[data-testid="reaction"][data-user-id="${adaId}"]`, {
    child: '.reaction-emoji',
    childStyle: ['animation-name'],
  });
  // Keyboard: 3 is the third reaction.
  await ada.keyboard.press('3');
  const seen = await appeared;
  expect(seen.dataset.emoji).toBe('🎉');
  // At Ada's cursor on Bob's screen (where her cursor is headed: it may still be gliding).
  const { box, board } = seen;
  expect(Math.abs(box.x - (board.x + (at.x / BOARD.width) * board.width))).toBeLessThan(3);
  expect(Math.abs(box.y - (board.y + (at.y / BOARD.height) * board.height))).toBeLessThan(3);
  const burst = bob.locator(`[data-testid="reaction"][data-user-id="${adaId}"]`);
  // Ada sees her own burst.
  await expect(ada.locator('[data-testid="reaction"][data-emoji="🎉"]')).toHaveCount(1);
  // It is animated, and it goes after about 1.5 s.
  expect(seen.childStyle['animation-name']).toBe('burst');
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
