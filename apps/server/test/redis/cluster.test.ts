import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idOf, joinRoom, type Running, startServer, type TestUser, waitFor } from '../helpers.ts';
import { type RedisCluster, startRedisCluster } from './redis-cluster.ts';

/**
 * Two real nodes on a real 3-master Redis Cluster (sharded pub/sub, REDIS_CLUSTER): users of
 * one room on both nodes see each other, and rooms land on different shards.
 */
let cluster: RedisCluster;
const servers: Running[] = [];
const users: TestUser[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);
afterAll(() => cluster?.stop());
afterEach(async () => {
  for (const u of users.splice(0)) u.client.close();
  for (const s of servers.splice(0)) await s.server.close();
});

async function node(): Promise<Running> {
  const running = await startServer({ redisCluster: cluster.nodes });
  servers.push(running);
  return running;
}
async function user(url: string, room: string, name: string, transport: 'ws' | 'sockjs' = 'ws') {
  const u = await joinRoom(url, room, name, transport, undefined, { baseMs: 50, capMs: 200 });
  users.push(u);
  return u;
}

describe('a room across two nodes on a Redis Cluster (sharded pub/sub)', () => {
  it('its users see each other: joins, moves, renames, chat and leaves', async () => {
    const [a, b] = [await node(), await node()];
    const ada = await user(a.url, 'sharded', 'Ada');
    const bob = await user(b.url, 'sharded', 'Bob', 'sockjs');
    await waitFor(() => bob.client.users.has(idOf(ada)), 'Bob to see Ada', 10_000);
    await waitFor(() => ada.client.users.has(idOf(bob)), 'Ada to see Bob', 10_000);

    ada.client.move({ x: 10, y: 20 });
    bob.client.move({ x: 30, y: 40 });
    await waitFor(() => bob.seen.get(idOf(ada))?.x === 10, 'Bob to see Ada move');
    await waitFor(() => ada.seen.get(idOf(bob))?.y === 40, 'Ada to see Bob move');
    bob.client.setName('Robert');
    await waitFor(() => ada.client.users.get(idOf(bob))?.name === 'Robert', 'the rename');
    const chats: string[] = [];
    ada.client.onRelay('chat', ({ text }) => chats.push(text));
    bob.client.chat('hello from B');
    await waitFor(() => chats.includes('hello from B'), 'the chat');
    const bobId = idOf(bob);
    bob.client.close();
    await waitFor(() => ada.leaves.includes(bobId), 'the leave');
  }, 30_000);

  it('spreads rooms over the shards (each room channel lives on the shard of its slot)', async () => {
    const [a, b] = [await node(), await node()];
    const rooms = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
    for (const room of rooms) {
      await user(a.url, room, 'Ada');
      await user(b.url, room, 'Bob');
    }
    for (const [i, room] of rooms.entries()) {
      const [ada, bob] = [users[i * 2], users[i * 2 + 1]] as [TestUser, TestUser];
      await waitFor(
        () => ada.client.users.has(idOf(bob)),
        `room ${room} to span both nodes`,
        10_000,
      );
    }
    // Ask every master which sharded channels it carries: more than one shard is in use.
    const probe = new Cluster(
      cluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) })),
    );
    await new Promise((resolve) => probe.once('ready', resolve));
    const masters = probe.nodes('master');
    const perShard = await Promise.all(
      masters.map((m) => m.call('PUBSUB', 'SHARDCHANNELS') as Promise<string[]>),
    );
    probe.disconnect();
    const used = perShard.filter((channels) => channels.length > 0);
    expect(perShard.flat().length).toBeGreaterThanOrEqual(rooms.length);
    expect(used.length).toBeGreaterThan(1);
  }, 30_000);
});
