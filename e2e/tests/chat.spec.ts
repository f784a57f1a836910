import { expect, type Page, test } from '@playwright/test';
import {
  cursorOf,
  expectCursorAt,
  moveOnBoard,
  openAdaAndBob,
  openUser,
  uniqueRoom,
} from './users.ts';

/** Records every text any chat bubble shows on `page`, however briefly. */
async function recordChats(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __chats: string[] }).__chats = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="cursor-chat"]')) {
        const text = el.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __chats: string[] }).__chats);
}

test('"/" opens a chat at my cursor and the message shows beside it for others, then fades', async ({
  browser,
  baseURL,
}) => {
  const { ada, bob } = await openAdaAndBob(browser, baseURL, 'chat');
  const at = await moveOnBoard(ada, 0.4, 0.45);
  await expectCursorAt(bob, 'Ada', at);

  await ada.keyboard.press('/');
  const input = ada.getByTestId('chat-input');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue(''); // the "/" itself is not typed
  // The input opens at the pointer (its box starts just right of and below it).
  const box = await input.boundingBox();
  const board = await ada.getByTestId('board').boundingBox();
  if (!box || !board) throw new Error('no box');
  const pointer = { x: board.x + 0.4 * board.width, y: board.y + 0.45 * board.height };
  expect(Math.abs(box.x - pointer.x)).toBeLessThan(40);
  expect(Math.abs(box.y - pointer.y)).toBeLessThan(40);

  await input.fill('Look here');
  await input.press('Enter');
  await expect(input).toHaveCount(0);

  const bubble = cursorOf(bob, 'Ada').getByTestId('cursor-chat');
  await expect(bubble).toBeVisible();
  await expect(bubble).toHaveText('Look here');
  // Ada sees her own message beside her pointer too.
  await expect(ada.getByTestId('own-chat')).toHaveText('Look here');
  // It fades away on its own after about 5 s.
  await expect(bubble).toBeHidden({ timeout: 8000 });
  await expect(ada.getByTestId('own-chat')).toBeHidden();
});

test('Escape cancels, text stays text, 80 characters at most, empty clears', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('chat-rules');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'sockjs=xhr-polling',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob', query: 'transport=ws' });
  const chats = await recordChats(bob);
  const at = await moveOnBoard(ada, 0.3, 0.3);
  await expectCursorAt(bob, 'Ada', at);
  const input = ada.getByTestId('chat-input');
  const bubble = cursorOf(bob, 'Ada').getByTestId('cursor-chat');

  // Cancelled: never sent.
  await ada.keyboard.press('/');
  await input.fill('secret draft');
  await input.press('Escape');
  await expect(input).toHaveCount(0);

  // Markup arrives as text, not as elements.
  await ada.keyboard.press('/');
  await input.fill('<b>bold</b> <img src=x onerror=alert(1)>');
  await input.press('Enter');
  await expect(bubble).toHaveText('<b>bold</b> <img src=x onerror=alert(1)>');
  expect(await bubble.locator('b, img').count()).toBe(0);

  // The input takes 80 characters and no more.
  await ada.keyboard.press('/');
  await input.pressSequentially('x'.repeat(100), { delay: 0 });
  await expect(input).toHaveValue('x'.repeat(80));
  await input.press('Enter');
  await expect(bubble).toHaveText('x'.repeat(80));

  // Sending nothing while the bubble shows takes it down at once (well before 5 s).
  await ada.keyboard.press('/');
  await input.press('Enter');
  await expect(bubble).toBeHidden({ timeout: 2000 });
  await expect(ada.getByTestId('own-chat')).toBeHidden();

  expect(await chats()).not.toContain('secret draft');
  expect(await chats()).toContain('<b>bold</b> <img src=x onerror=alert(1)>');
});

test('"/" while typing in a field is just a slash', async ({ browser, baseURL }) => {
  const room = uniqueRoom('chat-typing');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada' });
  const name = ada.getByTestId('name-input');
  await name.click();
  await name.press('End');
  await name.press('/');
  await expect(name).toHaveValue('Ada/');
  await expect(ada.getByTestId('chat-input')).toHaveCount(0);
});

test('the chat button opens the chat where others can see it, without a pointer on the board', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('chat-button');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'transport=sockjs',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob' });
  await expect(bob.getByTestId('presence-item')).toHaveCount(2);
  await ada.getByTestId('chat-button').click();
  const input = ada.getByTestId('chat-input');
  await expect(input).toBeFocused();
  await input.fill('Hi from the keyboard');
  await input.press('Enter');
  // Ada never pointed at the board, yet Bob sees her cursor with the message.
  await expect(cursorOf(bob, 'Ada')).toBeVisible();
  await expect(cursorOf(bob, 'Ada').getByTestId('cursor-chat')).toHaveText('Hi from the keyboard');
});
