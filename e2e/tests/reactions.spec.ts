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

  // Keyboard: 3 is the third reaction.
  await ada.keyboard.press('3');
  const burst = bob.locator(`[data-testid="reaction"][data-user-id="${adaId}"]`);
  await expect(burst).toHaveCount(1);
  await expect(burst).toHaveAttribute('data-emoji', '🎉');
  // At Ada's cursor on Bob's screen (where her cursor is headed: it may still be gliding).
  const board = await bob.getByTestId('board').boundingBox();
  const burstBox = await burst.boundingBox();
  if (!board || !burstBox) throw new Error('no box');
  expect(Math.abs(burstBox.x - (board.x + (at.x / BOARD.width) * board.width))).toBeLessThan(3);
  expect(Math.abs(burstBox.y - (board.y + (at.y / BOARD.height) * board.height))).toBeLessThan(3);
  // Ada sees her own burst.
  await expect(ada.locator('[data-testid="reaction"][data-emoji="🎉"]')).toHaveCount(1);
  // It is animated, and it goes after about 1.5 s.
  expect(
    await burst.locator('.reaction-emoji').evaluate((el) => getComputedStyle(el).animationName),
  ).toBe('burst');
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
