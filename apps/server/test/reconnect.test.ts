import type { Status } from '@cursorline/client';
import { afterEach, describe, expect, it } from 'vitest';
import { idOf, joinRoom, type Running, startServer, type TestUser, waitFor } from './helpers.ts';

const fastBackoff = { baseMs: 50, capMs: 200 };
let running: Running | undefined;
const users: TestUser[] = [];

afterEach(async () => {
  for (const u of users.splice(0)) u.client.close();
  await running?.server.close();
});

describe.each(['ws', 'sockjs'] as const)('reconnecting over %s', (transport) => {
  it('comes back after a server restart and does not replay moves made while offline', async () => {
    running = await startServer();
    const port = Number(new URL(running.url).port);
    const mover = await joinRoom(running.url, 'rc', 'Mover', transport, undefined, fastBackoff);
    const watcher = await joinRoom(running.url, 'rc', 'Watcher', 'ws', undefined, fastBackoff);
    users.push(mover, watcher);
    const statuses: Status[] = [];
    mover.client.on('status', (s) => statuses.push(s));

    await running.server.close();
    await waitFor(() => mover.client.status === 'reconnecting', 'the drop to be noticed');

    mover.client.move({ x: 111, y: 111 }); // stale by the time we are back: must never arrive

    running = await startServer({ port });
    await waitFor(
      () => mover.client.status === 'open' && watcher.client.status === 'open',
      'both back',
    );
    await waitFor(() => mover.client.users.size === 1, 'the mover to see the watcher again');
    // One or more failed attempts while the server was down, then open.
    expect(statuses.at(-1)).toBe('open');
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set(['reconnecting']));

    mover.client.move({ x: 222, y: 222 });
    const moverId = idOf(mover);
    await waitFor(() => watcher.seen.get(moverId)?.x === 222, 'the fresh move');
    expect([...watcher.seen.values()].some((at) => at?.x === 111)).toBe(false);
  });
});
