import { cursorOf, expectCursorAt, moveOnBoard, openUser, uniqueRoom } from '../users.ts';
import { expect, test } from './stack.ts';
import { cursorSeenAt, recordTimings } from './timing.ts';

/**
 * The plain link (the one Share gives) on networks that block WebSockets: a proxy answering
 * upgrades with 403, or one not forwarding them, each with and without response buffering, in
 * front of the nginx deployment. The page must get in through SockJS by itself, say why, and
 * show the others' cursors within 3 s of loading.
 */
const VARIANTS = [
  'refuse-403-unbuffered',
  'refuse-403-buffered',
  'no-forward-unbuffered',
  'no-forward-buffered',
] as const;

for (const variant of VARIANTS) {
  test(`${variant}: the plain link connects through SockJS, cursors both ways, in 3 s`, async ({
    browser,
    stack,
  }) => {
    const url = stack.hostile[variant].url;
    const room = uniqueRoom(variant);
    const ada = await openUser(browser, url, { room, name: 'Ada' });
    const badge = ada.getByTestId('status');
    await expect(badge).toHaveAttribute('data-transport', /^sockjs\//);
    await expect(badge).toHaveAttribute('data-fallback', 'WebSocket blocked');
    await expect(badge).toContainText('WebSocket blocked');
    const adaAt = await moveOnBoard(ada, 0.4, 0.4);

    const bob = await openUser(browser, url, { room, name: 'Bob', beforeLoad: recordTimings });
    await expectCursorAt(bob, 'Ada', adaAt);
    const seenAfterMs = await cursorSeenAt(bob, 'Ada');
    const transport = await bob.getByTestId('status').getAttribute('data-transport');
    console.log(
      `${variant}: Bob on ${transport} saw Ada's cursor ${seenAfterMs?.toFixed(0)} ms after navigation`,
    );
    expect(seenAfterMs).toBeLessThan(3000);

    const bobAt = await moveOnBoard(bob, 0.7, 0.2);
    await expectCursorAt(ada, 'Bob', bobAt);
    await expect(cursorOf(ada, 'Bob')).toBeVisible();
  });
}
