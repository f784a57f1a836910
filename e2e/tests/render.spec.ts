import { expect, test } from '@playwright/test';
import { expectCursorAt, moveOnBoard, openUser, uniqueRoom } from './users.ts';

test('remote cursor moves do not re-render React', async ({ browser, baseURL }, info) => {
  test.skip(
    info.project.name !== 'dev',
    'React reports renders (Profiler) only in development builds',
  );
  const room = uniqueRoom('renders');
  const watcher = await openUser(browser, baseURL ?? '', { room, name: 'Watcher' });
  const mover = await openUser(browser, baseURL ?? '', { room, name: 'Mover' });
  await expect.poll(() => watcher.getByTestId('presence-item').count()).toBe(2);
  const commits = () => watcher.evaluate(() => window.__cursorlineCommits ?? 0);
  const before = await commits();
  expect(before).toBeGreaterThan(0); // the counter works at all

  let at = { x: 0, y: 0 };
  for (let i = 0; i < 30; i++) at = await moveOnBoard(mover, 0.1 + i * 0.025, 0.3 + (i % 5) * 0.05);
  await expectCursorAt(watcher, 'Mover', at);
  expect(await commits()).toBe(before);
});
