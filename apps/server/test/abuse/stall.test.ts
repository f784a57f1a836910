import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../child-server.ts';
import { idOf, joinRoom, type TestUser, waitFor } from '../helpers.ts';

/**
 * The server stalls (here: SIGSTOP for 12 s, as a frozen VM or a long GC would) while honest
 * clients keep sending at 30 moves a second, well under the limit of 60. When it runs again it
 * reads the whole backlog at once. The rate limiter must charge the server's stall to the
 * server: nobody is closed, on any transport.
 */
let server: ChildServer;
afterAll(async () => {
  if (server?.alive()) process.kill(server.pid, 'SIGCONT');
  await server?.stop();
});

describe('a 12 s server stall', () => {
  it('closes no honest client', async () => {
    server = await startChildServer();
    const users: TestUser[] = [
      await joinRoom(server.url, 'stall', 'ws', 'ws'),
      await joinRoom(server.url, 'stall', 'sockjs-ws', 'sockjs', ['websocket']),
      await joinRoom(server.url, 'stall', 'streaming', 'sockjs', ['xhr-streaming']),
      await joinRoom(server.url, 'stall', 'polling', 'sockjs', ['xhr-polling']),
    ];
    const statuses: string[] = [];
    for (const [i, u] of users.entries()) {
      u.client.on('status', (s, d) => statuses.push(`user ${i}: ${s} ${d.code} ${d.reason}`));
    }
    await waitFor(() => users.every((u) => u.client.users.size === 3), 'everyone to see everyone');

    // Every client moves 30 times a second for the whole test (its sends are latest-wins at
    // that rate: 360 moves each while the server is stopped).
    let t = 0;
    const mover = setInterval(() => {
      t++;
      for (const [i, u] of users.entries()) u.client.move({ x: (t * 7 + i) % 1600, y: i });
    }, 1000 / 30);
    try {
      await new Promise((r) => setTimeout(r, 2000));
      process.kill(server.pid, 'SIGSTOP');
      await new Promise((r) => setTimeout(r, 12_000));
      process.kill(server.pid, 'SIGCONT');
      await new Promise((r) => setTimeout(r, 4000));
      // Cursors flow again, between every pair: forget what was seen, wait for fresh moves.
      for (const u of users) u.seen.clear();
      await waitFor(
        () => users.every((u) => users.every((v) => u === v || u.seen.has(idOf(v)))),
        'fresh cursors between every pair',
      );
    } finally {
      clearInterval(mover);
    }
    expect(server.alive()).toBe(true);
    expect(statuses, JSON.stringify(statuses)).toEqual([]);
    for (const u of users) expect(u.client.status).toBe('open');
    for (const u of users) u.client.close();
  }, 60_000);
});
