import { expect, test } from '@playwright/test';
import { cursorOf, expectCursorAt, moveOnBoard, openUser, uniqueRoom } from './users.ts';

test('four people get four colors and their initials', async ({ browser, baseURL }) => {
  const room = uniqueRoom('colors');
  const people = [
    { name: 'ada', query: 'transport=ws' },
    { name: 'Bob', query: 'transport=sockjs' },
    { name: 'Émile', query: 'sockjs=xhr-polling' },
    { name: 'Dee', query: 'transport=ws' },
  ];
  const pages = [];
  for (const p of people) pages.push(await openUser(browser, baseURL ?? '', { room, ...p }));

  for (const page of pages) {
    await expect(page.getByTestId('presence-item')).toHaveCount(4);
    const avatars = page.getByTestId('avatar');
    await expect(avatars).toHaveCount(4);
    const colors = await avatars.evaluateAll((els) =>
      els.map((el) => getComputedStyle(el).backgroundColor),
    );
    expect(new Set(colors).size).toBe(4);
  }
  // Each avatar shows its owner's initial, on one page in list order (self first).
  const first = pages[0];
  if (!first) throw new Error('no page');
  const initials = await first
    .getByTestId('presence-item')
    .evaluateAll((items) =>
      items.map((item) => [
        (item as HTMLElement).dataset.name,
        item.querySelector('[data-testid="avatar"]')?.textContent,
      ]),
    );
  expect(initials).toEqual([
    ['ada', 'A'],
    ['Bob', 'B'],
    ['Émile', 'É'],
    ['Dee', 'D'],
  ]);

  // Remote cursors wear the same colors as the avatars.
  for (const [i, page] of pages.entries()) {
    const at = await moveOnBoard(page, 0.2 + i * 0.2, 0.5);
    await expectCursorAt(first === page ? (pages[1] ?? page) : first, people[i]?.name ?? '', at);
  }
  const avatarColor = await first
    .locator('[data-testid="presence-item"][data-name="Bob"] [data-testid="avatar"]')
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  const labelColor = await cursorOf(first, 'Bob')
    .getByTestId('cursor-label')
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(labelColor).toBe(avatarColor);
});

test('"hide my cursor" stops my cursor for others, and is remembered', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('hide');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'transport=sockjs',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob' });
  // Cy moves after Ada each time: once Bob sees Cy's move, he would have seen Ada's.
  const cy = await openUser(browser, baseURL ?? '', { room, name: 'Cy' });
  const toggle = ada.getByTestId('hide-cursor-toggle');
  // The button says what pressing it does now.
  await expect(toggle).toHaveAttribute('data-hidden', 'false');
  await expect(toggle).toHaveText('Hide my cursor');

  let at = await moveOnBoard(ada, 0.3, 0.3);
  await expectCursorAt(bob, 'Ada', at);

  await toggle.click();
  await expect(toggle).toHaveAttribute('data-hidden', 'true');
  await expect(toggle).toHaveText('Show my cursor');
  await expect(cursorOf(bob, 'Ada')).toBeHidden();
  await moveOnBoard(ada, 0.6, 0.6);
  await expectCursorAt(bob, 'Cy', await moveOnBoard(cy, 0.5, 0.2));
  await expect(cursorOf(bob, 'Ada')).toBeHidden();
  // Chat and reactions appear at the cursor, so they are off while it is hidden, and the dock
  // says so in words.
  await expect(ada.getByTestId('reaction-button').first()).toBeDisabled();
  await expect(ada.getByTestId('dock-note')).toHaveText(/cursor is hidden: chat and reactions/);

  // Still hidden after a reload.
  await ada.reload();
  await expect(ada.getByTestId('status')).toHaveAttribute('data-state', 'open');
  await expect(ada.getByTestId('hide-cursor-toggle')).toHaveText('Show my cursor');
  expect(await ada.evaluate(() => localStorage.getItem('cursorline:hidden'))).toBe('true');
  await moveOnBoard(ada, 0.4, 0.7);
  await expectCursorAt(bob, 'Cy', await moveOnBoard(cy, 0.55, 0.25));
  await expect(cursorOf(bob, 'Ada')).toBeHidden();

  // Shown again: positions flow.
  await ada.getByTestId('hide-cursor-toggle').click();
  await expect(ada.getByTestId('hide-cursor-toggle')).toHaveText('Hide my cursor');
  await expect(ada.getByTestId('dock-note')).toBeHidden();
  at = await moveOnBoard(ada, 0.45, 0.65);
  await expectCursorAt(bob, 'Ada', at);
});
