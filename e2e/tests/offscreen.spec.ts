import { expect, test } from '@playwright/test';
import { cursorOf, expectCursorAt, moveOnBoard, openUser, uniqueRoom, userIdOf } from './users.ts';

test('a cursor out of sight gets a marker on the edge toward it; clicking it scrolls there', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('offscreen');
  // A short window that shows only part of the board.
  const viewer = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Viewer',
    query: 'transport=ws',
    viewport: { width: 1000, height: 420 },
  });
  const mover = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Mover',
    query: 'transport=sockjs',
  });
  const moverId = await userIdOf(viewer, 'Mover');
  const marker = viewer.locator(`[data-testid="offscreen-marker"][data-user-id="${moverId}"]`);

  // In view: no marker.
  let at = await moveOnBoard(mover, 0.5, 0.1);
  await expectCursorAt(viewer, 'Mover', at);
  await expect(marker).toHaveCount(0);

  // Near the bottom of the board, below the viewer's window: a marker on the bottom edge.
  at = await moveOnBoard(mover, 0.7, 0.95);
  await expect(marker).toBeVisible();
  await expect(marker).toHaveText('M');
  const box = await marker.boundingBox();
  const cursor = await cursorOf(viewer, 'Mover').boundingBox();
  if (!box || !cursor) throw new Error('no box');
  expect(box.y + box.height / 2).toBeGreaterThan(420 / 2); // lower half of the window
  expect(box.y + box.height).toBeLessThanOrEqual(420);
  expect(Math.abs(box.x + box.width / 2 - cursor.x)).toBeLessThan(30); // straight above it

  await marker.click();
  await expect(marker).toHaveCount(0);
  await expect(cursorOf(viewer, 'Mover')).toBeInViewport();

  // Now the viewer is scrolled down; the mover goes to the top: marker on the top edge.
  await moveOnBoard(mover, 0.2, 0.02);
  await expect(marker).toBeVisible();
  const top = await marker.boundingBox();
  if (!top) throw new Error('no box');
  expect(top.y + top.height / 2).toBeLessThan(420 / 2);

  // The viewer scrolls up by themselves: the marker goes as the cursor comes into view.
  await viewer.evaluate(() => scrollTo(0, 0));
  await expect(marker).toHaveCount(0);
  await expect(cursorOf(viewer, 'Mover')).toBeInViewport();
});
