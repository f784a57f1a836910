import { expect, type Page, test } from '@playwright/test';
import { cursorOf, expectCursorAt, moveOnBoard, openUser, uniqueRoom } from './users.ts';

const itemOf = (page: Page, name: string) =>
  page.locator(`[data-testid="presence-item"][data-name="${name}"]`);

test('a minute without input is idle; input makes it active again', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('idle');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'transport=ws',
    // A fake clock (running in real time) that the test can move a minute ahead.
    beforeLoad: (page) => page.clock.install(),
  });
  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'transport=sockjs',
  });
  const at = await moveOnBoard(ada, 0.4, 0.4);
  await expectCursorAt(bob, 'Ada', at);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'active');

  await ada.clock.fastForward(30_000);
  await expect(itemOf(ada, 'Ada')).toHaveAttribute('data-state', 'active'); // not yet
  await ada.clock.fastForward(31_000);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'idle');
  await expect(itemOf(bob, 'Ada').getByTestId('presence-state')).toHaveText('idle');
  await expect(cursorOf(bob, 'Ada')).toHaveAttribute('data-state', 'idle');
  await expect(itemOf(ada, 'Ada')).toHaveAttribute('data-state', 'idle'); // Ada sees it too

  await moveOnBoard(ada, 0.45, 0.45);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'active');
  await expect(itemOf(bob, 'Ada').getByTestId('presence-state')).toHaveCount(0);
  await expect(cursorOf(bob, 'Ada')).toHaveAttribute('data-state', 'active');
});

test('a hidden tab is away', async ({ browser, baseURL }) => {
  const room = uniqueRoom('away');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'sockjs=xhr-streaming',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob' });
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'active');

  // Headless tabs are never hidden; play the browser's part.
  const setHidden = (hidden: boolean) =>
    ada.evaluate((h) => {
      Object.defineProperty(document, 'visibilityState', {
        value: h ? 'hidden' : 'visible',
        configurable: true,
      });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);

  await setHidden(true);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'away');
  await expect(itemOf(bob, 'Ada').getByTestId('presence-state')).toHaveText('away');
  await setHidden(false);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'active');
});

test('a dropped user shows offline, their cursor dimmed where it was, until they are back', async ({
  browser,
  baseURL,
}) => {
  test.slow(); // reconnecting after the network is back waits out a backoff
  const room = uniqueRoom('offline');
  // SockJS polling: going offline stops the polls, and the server notices after 3 s.
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'sockjs=xhr-polling',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob', query: 'transport=ws' });
  const at = await moveOnBoard(ada, 0.35, 0.55);
  await expectCursorAt(bob, 'Ada', at);

  await ada.context().setOffline(true);
  // Offline emulation does not cut a poll already waiting at the server. Bob's move answers
  // it; Ada's next poll then fails, and after 3 s without one the server counts her dropped.
  await moveOnBoard(bob, 0.8, 0.2);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'offline');
  await expect(itemOf(bob, 'Ada').getByTestId('presence-state')).toHaveText('offline');
  const cursor = cursorOf(bob, 'Ada');
  await expect(cursor).toHaveAttribute('data-state', 'offline');
  // Still there, at the same spot, dimmed.
  await expect(cursor).toBeVisible();
  expect(Number(await cursor.getAttribute('data-x'))).toBe(at.x);
  expect(Number(await cursor.getAttribute('data-y'))).toBe(at.y);
  const arrow = cursor.locator('.cursor-arrow');
  expect(Number(await arrow.evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1);

  // Back online: Ada reconnects (resuming her seat if she is back in time) and is active.
  await ada.context().setOffline(false);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'active', { timeout: 60_000 });
  await expect(itemOf(bob, 'Ada')).toHaveCount(1);
});
