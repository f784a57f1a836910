import { expect, type Page, test } from '@playwright/test';
import { BOARD, cursorOf, expectCursorAt, openUser, uniqueRoom } from './users.ts';

const zoomOf = async (page: Page) =>
  Number.parseInt((await page.getByTestId('zoom-reset').textContent()) ?? '', 10);

/** The board point under a window point, as the page maps it. */
async function boardPoint(page: Page, x: number, y: number) {
  const box = await page.getByTestId('board').boundingBox();
  if (!box) throw new Error('no board');
  return {
    x: Math.round(((x - box.x) / box.width) * BOARD.width),
    y: Math.round(((y - box.y) / box.height) * BOARD.height),
  };
}

test('keys, buttons and Ctrl + wheel zoom the board; positions stay in board units', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('zoom');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada' });
  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'transport=sockjs',
  });
  const opening = await zoomOf(ada);

  await ada.keyboard.press('+');
  expect(await zoomOf(ada)).toBeGreaterThan(opening);
  await ada.keyboard.press('0');
  expect(await zoomOf(ada)).toBe(opening);
  await ada.getByTestId('zoom-in').click();
  await ada.getByTestId('zoom-in').click();
  expect(await zoomOf(ada)).toBeGreaterThan(opening * 1.4);
  await ada.getByTestId('zoom-out').click();
  await ada.getByTestId('zoom-reset').click();
  expect(await zoomOf(ada)).toBe(opening);

  // Ctrl + wheel zooms at the pointer: the board point under it stays under it.
  const frame = await ada.getByTestId('board-frame').boundingBox();
  if (!frame) throw new Error('no frame');
  const spot = { x: Math.round(frame.x + frame.width * 0.7), y: Math.round(frame.y + 200) };
  await ada.mouse.move(spot.x, spot.y);
  const under = await boardPoint(ada, spot.x, spot.y);
  await ada.keyboard.down('Control');
  await ada.mouse.wheel(0, -200);
  await ada.keyboard.up('Control');
  await expect.poll(() => zoomOf(ada)).toBeGreaterThan(opening * 2);
  const still = await boardPoint(ada, spot.x, spot.y);
  expect(Math.abs(still.x - under.x)).toBeLessThanOrEqual(3);
  expect(Math.abs(still.y - under.y)).toBeLessThanOrEqual(3);
  // The frame clips the zoomed board: it never scrolls, and the page does not widen.
  expect(
    await ada.evaluate(() => {
      const el = document.querySelector('[data-testid="board-frame"]') as HTMLElement;
      return [el.scrollLeft, document.documentElement.scrollWidth <= innerWidth];
    }),
  ).toEqual([0, true]);

  // Zoomed in, ← and → pan the board sideways inside its frame.
  const boardX = async () => (await ada.getByTestId('board').boundingBox())?.x ?? 0;
  const x0 = await boardX();
  await ada.keyboard.press('ArrowRight');
  await ada.keyboard.press('ArrowRight');
  expect(await boardX()).toBeLessThan(x0 - 100);
  await ada.keyboard.press('ArrowLeft');
  expect(await boardX()).toBeGreaterThan(x0 - 100);

  // Zoomed in, Ada still points at board units: Bob sees her where she points.
  await ada.mouse.move(spot.x + 5, spot.y + 5);
  await expectCursorAt(bob, 'Ada', await boardPoint(ada, spot.x + 5, spot.y + 5));
  // Labels keep their size at any zoom.
  const labelHeight = () =>
    cursorOf(bob, 'Ada')
      .getByTestId('cursor-label')
      .evaluate((el) => el.getBoundingClientRect().height);
  const before = await labelHeight();
  await bob.keyboard.press('+');
  await bob.keyboard.press('+');
  expect(Math.abs((await labelHeight()) - before)).toBeLessThan(1);
});

test('following someone takes their zoom and their place on the board', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('follow-zoom');
  const lead = await openUser(browser, baseURL ?? '', { room, name: 'Lead' });
  const fan = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Fan',
    query: 'transport=sockjs',
  });
  await fan.locator('[data-testid="presence-item"][data-name="Lead"] button').click();
  await expect(fan.getByTestId('follow-banner')).toBeVisible();

  // Lead zooms in on the board's bottom-right part.
  const frame = await lead.getByTestId('board-frame').boundingBox();
  if (!frame) throw new Error('no frame');
  await lead.mouse.move(frame.x + frame.width * 0.9, frame.y + frame.height * 0.8);
  for (let i = 0; i < 3; i++) await lead.keyboard.press('+');
  const leadZoom = await zoomOf(lead);
  await expect.poll(() => zoomOf(fan)).toBe(leadZoom);

  // Fan sees the middle of what Lead sees.
  const middle = async (page: Page) => {
    const box = await page.getByTestId('board-frame').boundingBox();
    if (!box) throw new Error('no frame');
    const vh = page.viewportSize()?.height ?? 0;
    return boardPoint(
      page,
      box.x + box.width / 2,
      (Math.max(box.y, 0) + Math.min(box.y + box.height, vh)) / 2,
    );
  };
  const target = await middle(lead);
  await expect
    .poll(async () => {
      const m = await middle(fan);
      return Math.abs(m.x - target.x) < 40;
    })
    .toBe(true);
});
