import { encodeJson, PROTOCOL_VERSION } from '@cursorline/protocol';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisBackplane } from '../../src/backplane/redis.ts';
import { createLogger } from '../../src/log.ts';
import { createServer } from '../../src/server.ts';
import { idOf, joinRoom, type Running, rawWs, type TestUser, waitFor } from '../helpers.ts';
import { type RedisProcess, startRedis } from './redis-server.ts';

/**
 * Redis is a trust boundary: whatever is published on a room's channel, in a node's name, must
 * pass the backplane schemas or be dropped and counted, and must never reach a user or crash the
 * node. Two real nodes, one real Redis, and a third Redis client publishing by hand.
 */
let redis: RedisProcess;
let raw: Redis;
const servers: Running[] = [];
const users: TestUser[] = [];

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
});
afterAll(async () => {
  raw?.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  for (const u of users.splice(0)) u.client.close();
  for (const s of servers.splice(0)) await s.server.close();
});

async function node(): Promise<{ running: Running; backplane: RedisBackplane }> {
  const log = createLogger('silent');
  const backplane = new RedisBackplane(redis.url, log);
  const server = createServer({ host: '127.0.0.1', port: 0, redisUrl: redis.url }, log, backplane);
  const running = { server, url: `http://127.0.0.1:${await server.listen()}` };
  servers.push(running);
  return { running, backplane };
}

async function user(url: string, room: string, name: string): Promise<TestUser> {
  const u = await joinRoom(url, room, name, 'ws');
  users.push(u);
  return u;
}

describe('the backplane trust boundary', () => {
  it('drops and counts malformed and wrong-version messages; they reach no user', async () => {
    const a = await node();
    const b = await node();
    const ada = await user(a.running.url, 'trust', 'Ada');
    const bob = await user(b.running.url, 'trust', 'Bob');
    const bobId = idOf(bob);
    await waitFor(() => ada.client.users.has(bobId), 'Ada to see Bob on the other node');
    const chats: string[] = [];
    ada.client.onRelay('chat', ({ text }) => chats.push(text));

    // Everything in node B's name, so only the checks stand between it and Ada.
    const channel = 'cursorline:room:trust';
    const asB = (body: string) => raw.publish(channel, `${b.backplane.nodeId} ${body}`);
    const before = { ...a.backplane.rejected };
    // A newer node's message, which this node must not misread: "Bob left".
    await asB(JSON.stringify({ v: 2, body: { t: 'leave', id: bobId } }));
    // Malformed: not JSON, no envelope, an unknown event, bad fields, unsafe relayed text.
    await asB('{not json');
    await asB(JSON.stringify({ t: 'leave', id: bobId }));
    await asB(JSON.stringify({ v: 1, body: { t: 'explode' } }));
    await asB(JSON.stringify({ v: 1, body: { t: 'leave', id: 'Bob' } }));
    await asB(JSON.stringify({ v: 1, body: { t: 'join', user: { id: 7, name: 'Eve' } } }));
    await asB(
      JSON.stringify({
        v: 1,
        body: { t: 'relay', id: bobId, msg: { t: 'chat', text: 'evil\u202ecode' } },
      }),
    );
    await raw.publish(
      'cursorline:nodes',
      `${b.backplane.nodeId} ${JSON.stringify({ v: 1, body: { t: 'leave', token: '../../etc' } })}`,
    );
    // And one well-formed message by the same route: the route itself works.
    await asB(
      JSON.stringify({ v: 1, body: { t: 'relay', id: bobId, msg: { t: 'chat', text: 'real' } } }),
    );

    await waitFor(() => chats.includes('real'), 'the well-formed relay to reach Ada');
    await waitFor(
      () =>
        a.backplane.rejected.version === before.version + 1 &&
        a.backplane.rejected.malformed === before.malformed + 7,
      'node A to count every dropped message',
    );
    expect(chats).toEqual(['real']);
    expect(ada.client.users.get(bobId)?.name).toBe('Bob'); // not removed by the v2 "leave"
    expect(ada.client.users.has(7)).toBe(false);
    // And an operator sees it: the counts are on /metrics.
    const metrics = await (await fetch(`${a.running.url}/metrics`)).text();
    expect(metrics).toContain(
      `cursorline_backplane_rejected_total{reason="version"} ${before.version + 1}`,
    );
    expect(metrics).toContain(
      `cursorline_backplane_rejected_total{reason="malformed"} ${before.malformed + 7}`,
    );

    // Both nodes still serve the room as before.
    bob.client.move({ x: 11, y: 22 });
    await waitFor(() => ada.seen.get(bobId)?.x === 11, 'a real move after the garbage');
    const cy = await user(a.running.url, 'trust', 'Cy');
    await waitFor(() => bob.client.users.has(idOf(cy)), 'a new user to be seen across nodes');
  });

  it('a held seat that does not pass the schema is not resumed: the user joins afresh', async () => {
    const a = await node();
    const token = 'A'.repeat(22);
    await raw.set(`cursorline:seat:${token}`, JSON.stringify({ v: 1, body: { room: 'trust' } }));
    const before = a.backplane.rejected.malformed;
    const { ws } = await rawWs(a.running.url);
    const welcome = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
    ws.send(
      encodeJson({ t: 'hello', v: PROTOCOL_VERSION, room: 'trust', name: 'Dee', resume: token }),
    );
    try {
      const msg = JSON.parse(await welcome) as { t: string; resumed: boolean };
      expect(msg).toMatchObject({ t: 'welcome', resumed: false });
      expect(a.backplane.rejected.malformed).toBe(before + 1);
      expect(await raw.exists(`cursorline:seat:${token}`)).toBe(0); // taken, not left for another
    } finally {
      ws.close();
    }
  });
});
