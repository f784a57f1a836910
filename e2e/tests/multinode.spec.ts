import { expect, test } from '@playwright/test';
import { expectCursorAt, moveOnBoard, openUser, presenceNames, uniqueRoom } from './users.ts';

// Two production nodes share a Redis (see playwright.config.ts); each user gets their own node.
const node = (n: number) => `http://127.0.0.1:${process.env[`E2E_NODE${n}_PORT`]}`;

test('users on two different nodes, over ws and over SockJS, see each other', async ({
  browser,
}) => {
  const room = uniqueRoom('nodes');
  const ada = await openUser(browser, node(1), { room, name: 'Ada', query: 'transport=ws' });
  const bob = await openUser(browser, node(2), { room, name: 'Bob', query: 'transport=sockjs' });

  for (const page of [ada, bob]) {
    await expect.poll(async () => (await presenceNames(page)).sort()).toEqual(['Ada', 'Bob']);
  }
  const adaAt = await moveOnBoard(ada, 0.3, 0.3);
  await expectCursorAt(bob, 'Ada', adaAt);
  const bobAt = await moveOnBoard(bob, 0.7, 0.6);
  await expectCursorAt(ada, 'Bob', bobAt);

  await bob.close({ runBeforeUnload: true });
  await expect.poll(() => presenceNames(ada)).toEqual(['Ada']);
});
