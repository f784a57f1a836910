import { expect, type Page, test } from '@playwright/test';
import { BOARD, cursorOf, openUser, uniqueRoom } from './users.ts';

const phone = {
  viewport: { width: 390, height: 844 },
  context: { hasTouch: true, isMobile: true },
};

/** The board point under a window point. */
async function boardPoint(page: Page, x: number, y: number) {
  const box = await page.getByTestId('board').boundingBox();
  if (!box) throw new Error('no board');
  return {
    x: ((x - box.x) / box.width) * BOARD.width,
    y: ((y - box.y) / box.height) * BOARD.height,
  };
}

async function expectNear(page: Page, name: string, at: { x: number; y: number }) {
  const cursor = cursorOf(page, name);
  await expect(cursor).toBeVisible();
  await expect
    .poll(async () => {
      const x = Number(await cursor.getAttribute('data-x'));
      const y = Number(await cursor.getAttribute('data-y'));
      return Math.abs(x - at.x) <= 8 && Math.abs(y - at.y) <= 8;
    })
    .toBe(true);
}

test('a phone fits its screen and its controls are in reach', async ({ browser, baseURL }) => {
  const room = uniqueRoom('phone');
  const page = await openUser(browser, baseURL ?? '', { room, name: 'Phone', ...phone });
  // No sideways scrolling of the page.
  const [scrollWidth, width] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    innerWidth,
  ]);
  expect(scrollWidth).toBeLessThanOrEqual(width);
  for (const testid of ['share-button', 'name-input', 'chat-button', 'hide-cursor-toggle']) {
    await expect(page.getByTestId(testid)).toBeInViewport({ ratio: 1 });
  }
  for (const button of await page.getByTestId('reaction-button').all()) {
    await expect(button).toBeInViewport({ ratio: 1 });
  }
  // A reaction button is a finger-sized target.
  const box = await page.getByTestId('reaction-button').first().boundingBox();
  expect(box?.width).toBeGreaterThanOrEqual(36);
  expect(box?.height).toBeGreaterThanOrEqual(36);
});

test('touch shows as a finger, pressed while it touches', async ({ browser, baseURL }) => {
  const room = uniqueRoom('touch');
  const finger = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Finger',
    query: 'transport=ws',
    ...phone,
  });
  const desk = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Desk',
    query: 'sockjs=xhr-polling',
  });
  await expect(desk.getByTestId('presence-item')).toHaveCount(2);
  // The part of the board the phone shows (it opens zoomed in to a readable size, so the board
  // itself is wider than the screen).
  const board = await finger.getByTestId('board-frame').boundingBox();
  if (!board) throw new Error('no board');

  // A tap: the cursor appears where it landed, drawn as a touch, released.
  const tap = {
    x: Math.round(board.x + board.width * 0.3),
    y: Math.round(board.y + board.height * 0.4),
  };
  await finger.touchscreen.tap(tap.x, tap.y);
  await expectNear(desk, 'Finger', await boardPoint(finger, tap.x, tap.y));
  const cursor = cursorOf(desk, 'Finger');
  await expect(cursor).toHaveAttribute('data-pointer', 'touch');
  await expect(cursor).toHaveAttribute('data-pressed', 'false');
  // Its look: a circle instead of the arrow.
  expect(await cursor.locator('.cursor-arrow').evaluate((el) => getComputedStyle(el).display)).toBe(
    'none',
  );
  expect(await cursor.evaluate((el) => getComputedStyle(el, '::before').borderTopLeftRadius)).toBe(
    '50%',
  );

  // A finger held down: pressed until it lifts.
  const cdp = await finger.context().newCDPSession(finger);
  const hold = {
    x: Math.round(board.x + board.width * 0.6),
    y: Math.round(board.y + board.height * 0.5),
  };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [hold] });
  await expect(cursor).toHaveAttribute('data-pressed', 'true');
  await expectNear(desk, 'Finger', await boardPoint(finger, hold.x, hold.y));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(cursor).toHaveAttribute('data-pressed', 'false');
});

test('a pen shows as a pen, pressed while it draws', async ({ browser, baseURL }) => {
  const room = uniqueRoom('pen');
  const pen = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Pen',
    query: 'transport=sockjs',
  });
  const viewer = await openUser(browser, baseURL ?? '', { room, name: 'Viewer', ...phone });
  await expect(viewer.getByTestId('presence-item')).toHaveCount(2);
  const box = await pen.getByTestId('board').boundingBox();
  if (!box) throw new Error('no board');
  const point = { clientX: box.x + box.width * 0.5, clientY: box.y + box.height * 0.25 };

  const board = pen.getByTestId('board');
  await board.dispatchEvent('pointerdown', { pointerType: 'pen', buttons: 1, ...point });
  const cursor = cursorOf(viewer, 'Pen');
  await expect(cursor).toHaveAttribute('data-pointer', 'pen');
  await expect(cursor).toHaveAttribute('data-pressed', 'true');
  await expectNear(viewer, 'Pen', await boardPoint(pen, point.clientX, point.clientY));
  await board.dispatchEvent('pointerup', { pointerType: 'pen', buttons: 0, ...point });
  await expect(cursor).toHaveAttribute('data-pressed', 'false');
  await expect(cursor).toHaveAttribute('data-pointer', 'pen');

  // Back to the mouse: the arrow again.
  await pen.mouse.move(point.clientX + 20, point.clientY + 20);
  await expect(cursor).toHaveAttribute('data-pointer', 'mouse');
  expect(await cursor.locator('.cursor-arrow').evaluate((el) => getComputedStyle(el).display)).toBe(
    'block',
  );
});
