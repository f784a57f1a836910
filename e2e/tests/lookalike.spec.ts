import { expect, test } from '@playwright/test';
import { cursorOf, moveOnBoard, openUser, uniqueRoom } from './users.ts';

/**
 * Two people whose names look the same (a Latin "Ana" and one spelled with a Cyrillic "А") are
 * told apart on every screen: the list and the cursor labels show a suffix, the same one for
 * every viewer, while a third, different name shows as it is.
 */
test('lookalike names get a visible, shared disambiguator', async ({ browser, baseURL }) => {
  const room = uniqueRoom('lookalike');
  const base = baseURL ?? '';
  const latin = await openUser(browser, base, { room, name: 'Ana' });
  const cyrillic = await openUser(browser, base, { room, name: '\u0410na' });
  const viewer = await openUser(browser, base, { room, name: 'Viewer' });

  const listed = (page: typeof viewer) =>
    page
      .getByTestId('presence-item')
      .evaluateAll((items) =>
        items.map((item) => item.querySelector('.presence-name')?.textContent ?? ''),
      );
  await expect.poll(async () => (await listed(viewer)).length).toBe(3);
  const seen = await listed(viewer);
  const anas = seen.filter((label) => label !== 'Viewer (you)' && label !== 'Viewer');
  expect(anas).toHaveLength(2);
  // Both carry a suffix, and they differ.
  for (const label of anas) expect(label).toMatch(/^.na ·\S+$/);
  expect(new Set(anas).size).toBe(2);
  expect(seen).toContain('Viewer');

  // The Ana on the Latin page sees the same labels as the viewer does.
  await expect.poll(async () => (await listed(latin)).sort()).toEqual([...seen].sort());

  // And the cursor label says the same as the list.
  await moveOnBoard(cyrillic, 0.4, 0.4);
  const label = cursorOf(viewer, '\u0410na').getByTestId('cursor-label');
  const expected = anas.find((l) => l.startsWith('\u0410'));
  await expect(label).toHaveText(expected ?? 'missing');
  for (const page of [latin, cyrillic, viewer]) await page.context().close();
});
