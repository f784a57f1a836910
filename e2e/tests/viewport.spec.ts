import { expect, type Page, test } from '@playwright/test';
import { cursorOf, moveOnBoard, openUser, uniqueRoom } from './users.ts';

/** The text of the board content under a screen point (cursors do not take pointer hits). */
function contentAt(page: Page, x: number, y: number): Promise<string> {
  return page.evaluate(
    ([px, py]) => {
      const el = document.elementFromPoint(px ?? 0, py ?? 0);
      return el?.closest('[data-content]')?.getAttribute('data-content') ?? el?.tagName ?? 'none';
    },
    [x, y],
  );
}

test('windows of different sizes agree on where a cursor is on the content', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('sizes');
  const wide = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Wide',
    viewport: { width: 1500, height: 950 },
  });
  const narrow = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Narrow',
    viewport: { width: 700, height: 900 },
    query: 'transport=sockjs',
  });

  // Spots on the hero text, a sticky note, the "how it works" card and a stat card.
  for (const [fx, fy] of [
    [0.1, 0.1],
    [0.15, 0.5],
    [0.8, 0.3],
    [0.5, 0.85],
  ] as const) {
    await moveOnBoard(wide, fx, fy);
    const boardBox = await wide.getByTestId('board').boundingBox();
    if (!boardBox) throw new Error('no board');
    const under = await contentAt(
      wide,
      boardBox.x + fx * boardBox.width,
      boardBox.y + fy * boardBox.height,
    );
    expect(under, `content at ${fx}, ${fy}`).toMatch(/^(hero|steps|note-\d|stat-\d)$/);

    const cursor = cursorOf(narrow, 'Wide');
    await expect(cursor).toBeVisible();
    await cursor.scrollIntoViewIfNeeded();
    await expect
      .poll(async () => {
        const nb = await narrow.getByTestId('board').boundingBox();
        const cb = await cursor.boundingBox();
        if (!nb || !cb) return false;
        // The cursor's tip (its top-left) sits at the same fraction of the board…
        return (
          Math.abs((cb.x - nb.x) / nb.width - fx) < 0.01 &&
          Math.abs((cb.y - nb.y) / nb.height - fy) < 0.01
        );
      })
      .toBe(true);
    // …and so over the same piece of content.
    const cb = await cursor.boundingBox();
    if (!cb) throw new Error('no cursor');
    expect(await contentAt(narrow, cb.x + 1, cb.y + 1)).toBe(under);
  }
});
