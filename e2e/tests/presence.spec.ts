import { expect, test } from '@playwright/test';
import {
  cursorOf,
  expectCursorAt,
  moveOnBoard,
  openUser,
  presenceNames,
  uniqueRoom,
} from './users.ts';

const variants = [
  { label: 'ws', query: 'transport=ws', transport: /^ws$/ },
  { label: 'SockJS', query: 'transport=sockjs', transport: /^sockjs\/websocket$/ },
  {
    label: 'SockJS xhr-streaming',
    query: 'sockjs=xhr-streaming',
    transport: /^sockjs\/xhr-streaming$/,
  },
  { label: 'SockJS xhr-polling', query: 'sockjs=xhr-polling', transport: /^sockjs\/xhr-polling$/ },
];

for (const v of variants) {
  test(`two users see each other's cursors and presence over ${v.label}`, async ({
    browser,
    baseURL,
  }) => {
    const room = uniqueRoom(v.label);
    const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada', query: v.query });
    const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob', query: v.query });

    for (const page of [ada, bob]) {
      await expect(page.getByTestId('status')).toHaveAttribute('data-transport', v.transport);
      await expect.poll(() => presenceNames(page)).toHaveLength(2);
      expect((await presenceNames(page)).sort()).toEqual(['Ada', 'Bob']);
      await expect(page.locator('[data-testid="presence-item"][data-self="true"]')).toHaveCount(1);
    }

    const adaAt = await moveOnBoard(ada, 0.3, 0.4);
    await expectCursorAt(bob, 'Ada', adaAt);
    const bobAt = await moveOnBoard(bob, 0.75, 0.2);
    await expectCursorAt(ada, 'Bob', bobAt);
    // Nobody sees their own remote cursor.
    await expect(cursorOf(ada, 'Ada')).toHaveCount(0);

    // Ada closes her tab: she vanishes from Bob's list and screen.
    await ada.close({ runBeforeUnload: true });
    await expect.poll(() => presenceNames(bob)).toEqual(['Bob']);
    await expect(cursorOf(bob, 'Ada')).toHaveCount(0);
  });
}

test('users on ws, SockJS websocket and SockJS xhr-polling share one room', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('mixed');
  const users = [
    { name: 'Wes', query: 'transport=ws' },
    { name: 'Sam', query: 'transport=sockjs' },
    { name: 'Pol', query: 'sockjs=xhr-polling' },
  ];
  const pages = [];
  for (const u of users) pages.push(await openUser(browser, baseURL ?? '', { room, ...u }));

  for (const [i, page] of pages.entries()) {
    const at = await moveOnBoard(page, 0.2 + i * 0.25, 0.3 + i * 0.1);
    for (const [j, other] of pages.entries()) {
      if (j !== i) await expectCursorAt(other, users[i]?.name ?? '', at);
    }
  }
  for (const page of pages) {
    expect((await presenceNames(page)).sort()).toEqual(['Pol', 'Sam', 'Wes']);
  }
});

test('a newcomer sees a user who is not moving', async ({ browser, baseURL }) => {
  const room = uniqueRoom('still');
  const still = await openUser(browser, baseURL ?? '', { room, name: 'Still' });
  const other = await openUser(browser, baseURL ?? '', { room, name: 'Other' });
  const at = await moveOnBoard(still, 0.5, 0.5);
  await expectCursorAt(other, 'Still', at);

  const late = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Late',
    query: 'transport=sockjs',
  });
  expect((await presenceNames(late)).sort()).toEqual(['Late', 'Other', 'Still']);
  await expectCursorAt(late, 'Still', at);
});

test('a name edit reaches others and survives a reload', async ({ browser, baseURL }) => {
  const room = uniqueRoom('names');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada' });
  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'transport=sockjs',
  });

  const input = ada.getByTestId('name-input');
  await input.fill('Grace');
  await input.press('Enter');
  await expect.poll(() => presenceNames(bob)).toContain('Grace');
  const at = await moveOnBoard(ada, 0.6, 0.6);
  await expectCursorAt(bob, 'Grace', at);
  await expect(cursorOf(bob, 'Grace').getByTestId('cursor-label')).toHaveText('Grace');

  await ada.reload();
  await expect(ada.getByTestId('status')).toHaveAttribute('data-state', 'open');
  await expect(ada.getByTestId('name-input')).toHaveValue('Grace');
  await expect.poll(() => presenceNames(bob)).toEqual(expect.arrayContaining(['Bob', 'Grace']));
  await expect.poll(async () => (await presenceNames(bob)).length).toBe(2);
});
