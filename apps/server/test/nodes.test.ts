import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryBackplane, InMemoryBus } from '../src/backplane/in-memory.ts';
import { createLogger } from '../src/log.ts';
import { type CursorlineServer, createServer } from '../src/server.ts';
import { idOf, joinRoom, type TestUser, waitFor } from './helpers.ts';

/**
 * The cross-node room logic with the in-memory backplane: several servers in this process share
 * one bus. (The Redis tests in test/redis run the same logic over a real Redis.)
 */
const servers: CursorlineServer[] = [];
const users: TestUser[] = [];
afterEach(async () => {
  for (const u of users.splice(0)) u.client.close();
  for (const s of servers.splice(0)) await s.close();
});

async function nodes(count: number): Promise<string[]> {
  const bus = new InMemoryBus();
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer(
      { host: '127.0.0.1', port: 0 },
      createLogger('silent'),
      new InMemoryBackplane(bus),
    );
    servers.push(server);
    urls.push(`http://127.0.0.1:${await server.listen()}`);
  }
  return urls;
}
const join = async (...args: Parameters<typeof joinRoom>) => {
  const u = await joinRoom(...args);
  users.push(u);
  return u;
};

describe('rooms across nodes (in-memory backplane)', () => {
  it('three nodes share presence, state, pointers, views, reactions and cursors', async () => {
    const [a, b, c] = (await nodes(3)) as [string, string, string];
    const ada = await join(a, 'r', 'Ada', 'ws');
    const bob = await join(b, 'r', 'Bob', 'sockjs');
    const cat = await join(c, 'r', 'Cat', 'ws');
    for (const u of [ada, bob, cat]) await waitFor(() => u.client.users.size === 2, 'everyone');

    ada.client.setActivity('away');
    ada.client.setPointer({ kind: 'pen', pressed: true });
    ada.client.setView({ x: 0, y: 100, w: 800, h: 400 });
    const reactions: string[] = [];
    cat.client.onRelay('react', ({ id, emoji }) => id === idOf(ada) && reactions.push(emoji));
    ada.client.react('🎉');
    ada.client.move({ x: 5, y: 6 });
    await waitFor(() => {
      const seen = cat.client.users.get(idOf(ada));
      return seen?.state === 'away' && seen.pointer.kind === 'pen' && seen.view?.h === 400;
    }, 'Ada`s state on node C');
    await waitFor(
      () => reactions.includes('🎉') && cat.seen.get(idOf(ada))?.x === 5,
      'reaction and move',
    );
    expect(bob.client.users.get(idOf(ada))?.pointer).toEqual({ kind: 'pen', pressed: true });
  });

  it('a node that shuts down takes its users out of every room', async () => {
    const [a, b] = (await nodes(2)) as [string, string];
    const ada = await join(a, 'r', 'Ada', 'ws');
    const bob = await join(b, 'r', 'Bob', 'ws');
    await waitFor(() => ada.client.users.size === 1, 'Ada to see Bob');
    const bobId = idOf(bob);
    await servers[1]?.close();
    await waitFor(() => ada.leaves.includes(bobId), 'Bob`s leave');
  });
});
