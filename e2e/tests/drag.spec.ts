import { type CDPSession, expect, type Page, test } from '@playwright/test';
import { BOARD, cursorOf, openUser, uniqueRoom } from './users.ts';

/**
 * Real input, not synthetic pointer events: touches and a pen sent through the DevTools
 * protocol, so the browser itself decides whether a drag points or scrolls (DESIGN.md §7).
 */

const phone = {
  viewport: { width: 390, height: 844 },
  context: { hasTouch: true, isMobile: true },
};

/** The board point under a window point, as the page maps it (zoom and pan included). */
async function boardPoint(page: Page, x: number, y: number) {
  const box = await page.getByTestId('board').boundingBox();
  if (!box) throw new Error('no board');
  return {
    x: ((x - box.x) / box.width) * BOARD.width,
    y: ((y - box.y) / box.height) * BOARD.height,
  };
}

async function cursorPoint(page: Page, name: string) {
  const cursor = cursorOf(page, name);
  return {
    x: Number(await cursor.getAttribute('data-x')),
    y: Number(await cursor.getAttribute('data-y')),
  };
}

/** A window point inside the part of the board the page shows (away from the zoom buttons). */
async function spotOnBoard(page: Page, fx: number, fy: number) {
  const frame = await page.getByTestId('board-frame').boundingBox();
  if (!frame) throw new Error('no frame');
  const bottom = Math.min(frame.y + frame.height, (page.viewportSize()?.height ?? 0) - 80);
  const top = frame.y + 60;
  return {
    x: Math.round(frame.x + 10 + fx * (frame.width - 20)),
    y: Math.round(top + fy * (bottom - top)),
  };
}

type TouchType = 'touchStart' | 'touchMove' | 'touchEnd';
const touch = (cdp: CDPSession, type: TouchType, points: { x: number; y: number }[]) =>
  cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });

test('a finger dragged across the board moves the cursor, pressed, for a desktop user', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('drag');
  const finger = await openUser(browser, baseURL ?? '', { room, name: 'Finger', ...phone });
  const desk = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Desk',
    query: 'transport=sockjs',
  });
  await expect(desk.getByTestId('presence-item')).toHaveCount(2);
  const scrollBefore = await finger.evaluate(() => scrollY);

  const from = await spotOnBoard(finger, 0.15, 0.2);
  const to = await spotOnBoard(finger, 0.85, 0.7);
  const cdp = await finger.context().newCDPSession(finger);
  await touch(cdp, 'touchStart', [from]);
  const cursor = cursorOf(desk, 'Finger');
  await expect(cursor).toHaveAttribute('data-pressed', 'true');
  const start = await cursorPoint(desk, 'Finger');

  // Several moves, a frame or two apart, as a finger sends them.
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    const at = {
      x: Math.round(from.x + ((to.x - from.x) * i) / steps),
      y: Math.round(from.y + ((to.y - from.y) * i) / steps),
    };
    await touch(cdp, 'touchMove', [at]);
    await finger.waitForTimeout(30);
  }
  // Still down: the desktop user sees it pressed, and it came along with the finger.
  const end = await boardPoint(finger, to.x, to.y);
  await expect
    .poll(async () => {
      const p = await cursorPoint(desk, 'Finger');
      return Math.hypot(p.x - end.x, p.y - end.y);
    })
    .toBeLessThanOrEqual(4);
  await expect(cursor).toHaveAttribute('data-pressed', 'true');
  await expect(cursor).toHaveAttribute('data-pointer', 'touch');
  const moved = await cursorPoint(desk, 'Finger');
  expect(Math.hypot(moved.x - start.x, moved.y - start.y)).toBeGreaterThan(200);
  // The browser did not take the drag as a scroll of the page.
  expect(await finger.evaluate(() => scrollY)).toBe(scrollBefore);

  await touch(cdp, 'touchEnd', []);
  await expect(cursor).toHaveAttribute('data-pressed', 'false');
  // Lifting the finger leaves the cursor where it was.
  await expect(cursor).toBeVisible();
});

test('two fingers pinch the board to zoom and do not point', async ({ browser, baseURL }) => {
  const room = uniqueRoom('pinch');
  const finger = await openUser(browser, baseURL ?? '', { room, name: 'Finger', ...phone });
  const desk = await openUser(browser, baseURL ?? '', { room, name: 'Desk' });
  await expect(desk.getByTestId('presence-item')).toHaveCount(2);
  const zoom = finger.getByTestId('zoom-reset');
  const before = Number.parseInt((await zoom.textContent()) ?? '', 10);

  const mid = await spotOnBoard(finger, 0.5, 0.5);
  const anchorBefore = await boardPoint(finger, mid.x, mid.y);
  const cdp = await finger.context().newCDPSession(finger);
  const pair = (spread: number) => [
    { x: mid.x - spread, y: mid.y, id: 1 },
    { x: mid.x + spread, y: mid.y, id: 2 },
  ];
  await touch(cdp, 'touchStart', pair(30));
  for (let spread = 40; spread <= 120; spread += 10) {
    await touch(cdp, 'touchMove', pair(spread));
    await finger.waitForTimeout(20);
  }
  await touch(cdp, 'touchEnd', []);

  // Four times the spread: about four times the zoom (up to the limit), around the fingers.
  const after = Number.parseInt((await zoom.textContent()) ?? '', 10);
  expect(after).toBeGreaterThan(before * 2);
  const anchorAfter = await boardPoint(finger, mid.x, mid.y);
  expect(Math.abs(anchorAfter.x - anchorBefore.x)).toBeLessThan(15);
  expect(Math.abs(anchorAfter.y - anchorBefore.y)).toBeLessThan(15);
  // A pinch is not a press: the desktop user never saw a pressed finger drag.
  await expect(cursorOf(desk, 'Finger')).not.toHaveAttribute('data-pressed', 'true');
});

test('a pen dragged across the board moves the cursor, pressed', async ({ browser, baseURL }) => {
  const room = uniqueRoom('pen-drag');
  const pen = await openUser(browser, baseURL ?? '', { room, name: 'Pen' });
  const viewer = await openUser(browser, baseURL ?? '', { room, name: 'Viewer', ...phone });
  await expect(viewer.getByTestId('presence-item')).toHaveCount(2);
  const from = await spotOnBoard(pen, 0.2, 0.3);
  const to = await spotOnBoard(pen, 0.7, 0.6);
  const cdp = await pen.context().newCDPSession(pen);
  const mouse = (
    type: 'mouseMoved' | 'mousePressed' | 'mouseReleased',
    at: { x: number; y: number },
    buttons: number,
  ) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      ...at,
      button: 'left',
      buttons,
      clickCount: type === 'mouseMoved' ? 0 : 1,
      pointerType: 'pen',
    });
  await mouse('mouseMoved', from, 0);
  await mouse('mousePressed', from, 1);
  for (let i = 1; i <= 8; i++) {
    await mouse(
      'mouseMoved',
      {
        x: Math.round(from.x + ((to.x - from.x) * i) / 8),
        y: Math.round(from.y + ((to.y - from.y) * i) / 8),
      },
      1,
    );
  }
  const cursor = cursorOf(viewer, 'Pen');
  await expect(cursor).toHaveAttribute('data-pointer', 'pen');
  await expect(cursor).toHaveAttribute('data-pressed', 'true');
  const end = await boardPoint(pen, to.x, to.y);
  await expect
    .poll(async () => {
      const p = await cursorPoint(viewer, 'Pen');
      return Math.hypot(p.x - end.x, p.y - end.y);
    })
    .toBeLessThanOrEqual(4);
  await mouse('mouseReleased', to, 0);
  await expect(cursor).toHaveAttribute('data-pressed', 'false');
});
