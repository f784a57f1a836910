import { expect, type Page, test } from '@playwright/test';
import { cursorOf, expectCursorAt, moveOnBoard, openUser, uniqueRoom } from './users.ts';

// The servers under test keep a dropped user's seat for RESUME_GRACE_MS = 10 s (the default).
const GRACE_MS = 10_000;

const itemOf = (page: Page, name: string) =>
  page.locator(`[data-testid="presence-item"][data-name="${name}"]`);

/** Records, in the page, every presence entry that disappears (a leave, as the user sees it). */
async function recordLeaves(page: Page): Promise<void> {
  await page.evaluate(() => {
    const list = document.querySelector('[data-testid="presence-list"]');
    const w = window as unknown as { leaves: string[] };
    w.leaves = [];
    new MutationObserver((records) => {
      for (const r of records) {
        for (const node of r.removedNodes) {
          const id = (node as HTMLElement).dataset?.userId;
          if (id) w.leaves.push(id);
        }
      }
    }).observe(list as Node, { childList: true });
  });
}
const leaves = (page: Page) =>
  page.evaluate(() => (window as unknown as { leaves: string[] }).leaves);

test('a connection cut for less than the grace window resumes: same user, same cursor, never a leave', async ({
  browser,
  baseURL,
}) => {
  test.slow();
  const room = uniqueRoom('resume');
  // SockJS polling: offline mode really cuts it (WebSockets ignore Playwright's offline mode).
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'sockjs=xhr-polling',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob', query: 'transport=ws' });
  const at = await moveOnBoard(ada, 0.4, 0.4);
  await expectCursorAt(bob, 'Ada', at);
  const adaId = await itemOf(bob, 'Ada').getAttribute('data-user-id');
  await recordLeaves(bob);

  await ada.context().setOffline(true);
  await moveOnBoard(bob, 0.8, 0.2); // answers Ada's waiting poll; her next one fails
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'offline');
  await expect(cursorOf(bob, 'Ada')).toBeVisible(); // the cursor stays where it was

  await ada.context().setOffline(false);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'active');
  expect(await itemOf(bob, 'Ada').getAttribute('data-user-id')).toBe(adaId);
  expect(await leaves(bob)).toEqual([]);
  // And she moves on from there.
  const next = await moveOnBoard(ada, 0.45, 0.45);
  await expectCursorAt(bob, 'Ada', next);
  expect(await leaves(bob)).toEqual([]);
});

test('a connection cut for longer than the grace window ends in a leave', async ({
  browser,
  baseURL,
}) => {
  test.slow();
  const room = uniqueRoom('noresume');
  const ada = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Ada',
    query: 'sockjs=xhr-polling',
  });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob', query: 'transport=ws' });
  await expect(itemOf(bob, 'Ada')).toHaveCount(1);
  const adaId = await itemOf(bob, 'Ada').getAttribute('data-user-id');
  await recordLeaves(bob);

  await ada.context().setOffline(true);
  await moveOnBoard(bob, 0.8, 0.2);
  await expect(itemOf(bob, 'Ada')).toHaveAttribute('data-state', 'offline');
  // The seat is held for the grace window, then given up.
  await expect(itemOf(bob, 'Ada')).toHaveCount(0, { timeout: GRACE_MS + 5000 });
  expect(await leaves(bob)).toEqual([adaId]);

  // Back online, Ada is a new user.
  await ada.context().setOffline(false);
  await expect(itemOf(bob, 'Ada')).toHaveCount(1, { timeout: 30_000 });
  expect(await itemOf(bob, 'Ada').getAttribute('data-user-id')).not.toBe(adaId);
});
