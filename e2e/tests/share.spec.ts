import { type Browser, expect, test } from '@playwright/test';
import { openUser, presenceNames, uniqueRoom } from './users.ts';

test('the share button copies the room link', async ({ browser, baseURL }) => {
  const room = uniqueRoom('share');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    // Transport choices are this browser's business; the link leaves them out.
    query: 'sockjs=xhr-polling',
    context: { permissions: ['clipboard-read', 'clipboard-write'] },
  });
  const button = ada.getByTestId('share-button');
  await button.click();
  await expect(button).toHaveText('Copied');
  expect(await ada.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/?room=${room}`);
  await expect(button).toHaveText('Share link', { timeout: 5000 });
});

test('without a clipboard the link is shown selected, to copy by hand', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('share-manual');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    beforeLoad: (page) =>
      page.addInitScript(() => {
        Object.defineProperty(navigator, 'clipboard', { value: undefined });
      }),
  });
  await ada.getByTestId('share-button').click();
  const field = ada.getByTestId('share-url');
  await expect(field).toBeVisible();
  await expect(field).toHaveValue(`${baseURL}/?room=${room}`);
  await expect(field).toBeFocused();
  const selected = await field.evaluate((el: HTMLInputElement) => [
    el.selectionStart,
    el.selectionEnd,
    el.value.length,
  ]);
  expect(selected[0]).toBe(0);
  expect(selected[1]).toBe(selected[2]);
});

/** A visitor who opens an address as is (openUser always names a room). */
async function visit(browser: Browser, url: string, name: string) {
  const context = await browser.newContext();
  await context.addInitScript((n) => localStorage.setItem('cursorline:name', n), name);
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'open');
  return page;
}

test('a visitor without a room gets a new one, in the address bar, ready to share', async ({
  browser,
  baseURL,
}) => {
  const first = await visit(browser, `${baseURL}/?transport=sockjs`, 'First');
  const url = new URL(first.url());
  const room = url.searchParams.get('room') ?? '';
  expect(room).toMatch(/^[a-z]+-[a-z]+-\d{2}$/);
  expect(room).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  expect(url.searchParams.get('transport')).toBe('sockjs'); // other parameters are kept
  await expect(first.getByTestId('status')).toHaveAttribute('data-transport', /^sockjs/);
  await expect(first.getByTestId('room')).toHaveText(`# ${room}`);

  // Whoever opens that address joins the same room.
  const friend = await visit(browser, first.url(), 'Friend');
  await expect(friend.getByTestId('room')).toHaveText(`# ${room}`);
  await expect.poll(async () => (await presenceNames(first)).sort()).toEqual(['First', 'Friend']);

  // A reload keeps the room (it is in the address now).
  await first.reload();
  await expect(first.getByTestId('room')).toHaveText(`# ${room}`);

  // Another stranger on the bare address is not put in with them.
  const stranger = await visit(browser, `${baseURL}/`, 'Stranger');
  const strangerRoom = new URL(stranger.url()).searchParams.get('room');
  expect(strangerRoom).toMatch(/^[a-z]+-[a-z]+-\d{2}$/);
  expect(strangerRoom).not.toBe(room);
  expect(await presenceNames(stranger)).toEqual(['Stranger']);
});
