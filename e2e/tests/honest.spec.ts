import { expect, test } from '@playwright/test';
import { cursorOf, expectCursorAt, moveOnBoard, openUser, uniqueRoom } from './users.ts';

test('reactions over the limit say so instead of vanishing', async ({ browser, baseURL }) => {
  const page = await openUser(browser, baseURL ?? '', { room: uniqueRoom('limit'), name: 'Ada' });
  await moveOnBoard(page, 0.5, 0.5);
  const note = page.getByTestId('dock-note');
  await expect(note).toBeHidden();
  // Recorded in the page as it happens: on a busy machine the note may come and go between
  // two looks from here.
  await page.evaluate(() => {
    const w = window as unknown as { notes: string[] };
    w.notes = [];
    const el = document.querySelector('[data-testid="dock-note"]') as HTMLElement;
    new MutationObserver(() => {
      if (el.dataset.kind && el.offsetParent !== null) w.notes.push(el.textContent ?? '');
    }).observe(el, { attributes: true, childList: true, characterData: true, subtree: true });
  });
  // Thirty at once: the page lets 8 through at once and 4 a second after that.
  for (let i = 0; i < 30; i++) await page.keyboard.press('1');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { notes: string[] }).notes))
    .toContain('Too many reactions at once: wait a moment');
  await expect(note).toBeHidden({ timeout: 5000 });
});

test('while reconnecting, the others show dimmed as last seen', async ({ browser, baseURL }) => {
  const room = uniqueRoom('last-seen');
  // SockJS polling: offline mode really cuts it (WebSockets ignore Playwright's offline mode).
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'sockjs=xhr-polling',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob' });
  await expectCursorAt(ada, 'Bob', await moveOnBoard(bob, 0.5, 0.4));
  const cursor = cursorOf(ada, 'Bob');
  const opacity = () => cursor.evaluate((el) => Number(getComputedStyle(el).opacity));
  expect(await opacity()).toBe(1);

  await ada.context().setOffline(true);
  await moveOnBoard(bob, 0.6, 0.3); // answers Ada's waiting poll; her next one fails
  await expect(ada.getByTestId('status')).toHaveAttribute('data-state', /reconnecting|closed/);
  await expect.poll(opacity).toBeLessThan(0.6);
  const label = await cursor
    .getByTestId('cursor-label')
    .evaluate((el) => getComputedStyle(el, '::after').content);
  expect(label).toContain('last seen');

  await ada.context().setOffline(false);
  await expect(ada.getByTestId('status')).toHaveAttribute('data-state', 'open');
  await expect.poll(opacity).toBe(1);
});

test('the name field has a visible label at every width', async ({ browser, baseURL }) => {
  const room = uniqueRoom('name-label');
  for (const width of [390, 700, 1000, 1280, 1600]) {
    const page = await openUser(browser, baseURL ?? '', {
      room,
      name: `W${width}`,
      viewport: { width, height: 800 },
    });
    const label = page.locator('.name-editor > span');
    await expect(label, `at ${width}px`).toBeVisible();
    await expect(label).toHaveText('Your name');
    const box = await label.boundingBox();
    expect(box?.width ?? 0, `at ${width}px`).toBeGreaterThan(40);
    await expect(label).toBeInViewport({ ratio: 1 });
    await page.context().close();
  }
});

test('at 1280 × 720 the dock does not cover the board', async ({ browser, baseURL }) => {
  const page = await openUser(browser, baseURL ?? '', {
    room: uniqueRoom('dock'),
    name: 'Ada',
    viewport: { width: 1280, height: 720 },
  });
  const board = await page.getByTestId('board').boundingBox();
  const dock = await page.locator('[data-overlay="bottom"]').boundingBox();
  if (!board || !dock) throw new Error('no box');
  expect(board.y + board.height).toBeLessThanOrEqual(dock.y);
  expect(board.x).toBeGreaterThanOrEqual(0);
  expect(board.x + board.width).toBeLessThanOrEqual(1280);
});

test('a wheel over the list of people ends following, as any wheel does', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('wheel-list');
  const lead = await openUser(browser, baseURL ?? '', { room, name: 'Lead' });
  const fan = await openUser(browser, baseURL ?? '', { room, name: 'Fan' });
  await lead.getByTestId('zoom-in').click();
  const item = fan.locator('[data-testid="presence-item"][data-name="Lead"] button');
  await item.click();
  await expect(fan.getByTestId('follow-banner')).toBeVisible();
  const box = await fan.getByTestId('presence').boundingBox();
  if (!box) throw new Error('no list');
  await fan.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await fan.mouse.wheel(0, 60);
  await expect(fan.getByTestId('follow-banner')).toHaveCount(0);
});
