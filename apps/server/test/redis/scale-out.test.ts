import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../child-server.ts';
import { idOf, joinRoom, type Running, startServer, type TestUser, waitFor } from '../helpers.ts';
import { type RedisProcess, startRedis } from './redis-server.ts';

/** Two or more real nodes sharing one real Redis; users of one room split across them. */
let redis: RedisProcess;
const servers: Running[] = [];
const children: ChildServer[] = [];
const users: TestUser[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
afterEach(async () => {
  for (const u of users.splice(0)) u.client.close();
  for (const s of servers.splice(0)) await s.server.close();
  for (const c of children.splice(0)) await c.stop('SIGKILL');
});

async function node(): Promise<Running> {
  const running = await startServer({ redisUrl: redis.url });
  servers.push(running);
  return running;
}
async function user(url: string, room: string, name: string, transport: 'ws' | 'sockjs' = 'ws') {
  const u = await joinRoom(url, room, name, transport, undefined, { baseMs: 50, capMs: 200 });
  users.push(u);
  return u;
}
const names = (u: TestUser) => [...u.client.users.values()].map((x) => x.name).sort();

describe('a room across two nodes', () => {
  it('shares joins, moves, renames, chat and leaves', async () => {
    const [a, b] = [await node(), await node()];
    const ada = await user(a.url, 'split', 'Ada');
    const bob = await user(b.url, 'split', 'Bob', 'sockjs');
    const cy = await user(a.url, 'split', 'Cy', 'sockjs');
    await waitFor(() => names(bob).join() === 'Ada,Cy', 'Bob to see both users of node A');
    await waitFor(() => names(ada).join() === 'Bob,Cy', 'Ada to see Bob on node B');

    ada.client.move({ x: 10, y: 20 });
    bob.client.move({ x: 30, y: 40 });
    await waitFor(() => bob.seen.get(idOf(ada))?.x === 10, 'Bob to see Ada move');
    await waitFor(() => ada.seen.get(idOf(bob))?.x === 30, 'Ada to see Bob move');
    await waitFor(() => cy.seen.get(idOf(bob))?.y === 40, 'Cy to see Bob move');

    bob.client.setName('Robert');
    await waitFor(() => ada.client.users.get(idOf(bob))?.name === 'Robert', 'the rename');
    const chats: string[] = [];
    ada.client.onRelay('chat', ({ text }) => chats.push(text));
    bob.client.chat('hello from B');
    await waitFor(() => chats.includes('hello from B'), 'the chat');

    const bobId = idOf(bob);
    bob.client.close();
    await waitFor(() => ada.leaves.includes(bobId) && cy.leaves.includes(bobId), 'the leave');
    expect(names(ada)).toEqual(['Cy']);
  });

  it('does not send a node its own events back as remote ones, nor duplicate users', async () => {
    const [a, b] = [await node(), await node()];
    const ada = await user(a.url, 'nodup', 'Ada');
    const bob = await user(b.url, 'nodup', 'Bob');
    await waitFor(() => ada.client.users.size === 1 && bob.client.users.size === 1, 'both');
    for (let i = 0; i < 20; i++) ada.client.move({ x: i, y: i });
    await waitFor(() => bob.seen.get(idOf(ada))?.x === 19, 'the moves');
    await new Promise((r) => setTimeout(r, 300));
    // Each learnt of the other exactly once: Ada by Bob's join, Bob from node A's answer to
    // node B's hello (it arrives just after his welcome).
    expect(ada.joins).toEqual([idOf(bob)]);
    expect(bob.joins).toEqual([idOf(ada)]);
    expect(ada.client.users.size).toBe(1);
    expect(a.server.rooms.userCount + b.server.rooms.userCount).toBe(2);
  });
});

describe('a node that dies', () => {
  it('has its users shown offline within the liveness check, then removed; live users stay', async () => {
    const a = await node();
    const b = await startChildServer({ REDIS_URL: redis.url });
    children.push(b);
    const ada = await user(a.url, 'crash', 'Ada');
    const bob = await user(b.url, 'crash', 'Bob');
    const cat = await user(b.url, 'crash', 'Cat', 'sockjs');
    await waitFor(() => ada.client.users.size === 2, 'Ada to see Bob and Cat');

    // Longer than the liveness TTL (4 s): nobody alive is shown offline or removed.
    await new Promise((r) => setTimeout(r, 6000));
    expect(ada.leaves).toEqual([]);
    expect([...ada.client.users.values()].map((u) => u.state)).toEqual(['active', 'active']);

    await b.stop('SIGKILL');
    const killedAt = Date.now();
    const offline = () => [...ada.client.users.values()].every((u) => u.state === 'offline');
    await waitFor(offline, 'the dead node`s users to show offline', 6000);
    expect(ada.client.users.size).toBe(2);
    const offlineAfter = Date.now() - killedAt;
    expect(offlineAfter).toBeLessThan(6000); // TTL 4 s + check 1 s, plus slack
    await waitFor(() => ada.client.users.size === 0, 'the dead node`s users to vanish', 15_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(ada.leaves.sort()).toEqual([idOf(bob), idOf(cat)].sort());
    expect(ada.client.status).toBe('open');
  }, 60_000);
});

describe('a Redis outage', () => {
  it('keeps each node working alone, then resumes and converges without ghosts or duplicates', async () => {
    const [a, b] = [await node(), await node()];
    const ada = await user(a.url, 'outage', 'Ada');
    const amy = await user(a.url, 'outage', 'Amy');
    const bob = await user(b.url, 'outage', 'Bob');
    const ben = await user(b.url, 'outage', 'Ben');
    await waitFor(() => ada.client.users.size === 3 && bob.client.users.size === 3, 'all four');

    await redis.stop();
    // Same-node traffic goes on; new users are accepted.
    ada.client.move({ x: 100, y: 100 });
    await waitFor(() => amy.seen.get(idOf(ada))?.x === 100, 'Amy to see Ada during the outage');
    const bea = await user(b.url, 'outage', 'Bea');
    const benId = idOf(ben);
    ben.client.close(); // leaves while node A cannot hear it
    // Node B sees Bea come and Ben go; node A's users stay as they were while nobody can tell.
    await waitFor(() => names(bob).join() === 'Ada,Amy,Bea', 'node B to see Bea come and Ben go');

    await redis.restart();
    const back = Date.now();
    bob.client.move({ x: 222, y: 222 });
    await waitFor(
      () => {
        bob.client.move({ x: 222 + (((Date.now() / 100) % 2) | 0), y: 222 });
        return (ada.seen.get(idOf(bob))?.x ?? 0) >= 222;
      },
      'cross-node moves to resume',
      5000,
    );
    expect(Date.now() - back).toBeLessThan(5000);

    // Converged: A knows of Bea and no longer of Ben; nobody twice.
    await waitFor(() => names(ada).join() === 'Amy,Bea,Bob', 'node A to converge', 5000);
    expect(ada.client.users.has(benId)).toBe(false);
    await waitFor(() => names(bea).join() === 'Ada,Amy,Bob', 'Bea to see node A`s users', 5000);
  }, 60_000);
});

describe('graceful shutdown of a node', () => {
  it('removes its users everywhere at once and tells its clients to reconnect (1001)', async () => {
    const a = await node();
    const b = await startChildServer({ REDIS_URL: redis.url });
    children.push(b);
    const ada = await user(a.url, 'drain', 'Ada');
    const bob = await user(b.url, 'drain', 'Bob');
    await waitFor(() => ada.client.users.size === 1, 'Ada to see Bob');
    const codes: number[] = [];
    bob.client.on('status', (_s, d) => d.code && codes.push(d.code));

    const started = Date.now();
    const exitCode = await b.stop('SIGTERM');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(exitCode).toBe(0);
    await waitFor(() => ada.client.users.size === 0, 'Bob to be gone from node A', 2000);
    await waitFor(() => codes.length > 0, 'Bob to be told');
    expect(codes[0]).toBe(1001);
  }, 30_000);
});
