import {
  decodeServerFrame,
  encodeMoveBinary,
  PROTOCOL_VERSION,
  type Welcome,
} from '@cursorline/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import {
  idOf,
  joinRoom,
  type Running,
  rawWs,
  startServer,
  type TestUser,
  waitFor,
} from '../helpers.ts';
import { type RedisProcess, startRedis } from './redis-server.ts';

/**
 * Two real nodes sharing a real Redis. A user whose connection to node A drops comes back
 * through node B (as behind a load balancer) within the grace period: it keeps its seat, and
 * the others, on both nodes, never see it leave.
 */
let redis: RedisProcess;
const servers: Running[] = [];
const users: TestUser[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const u of users.splice(0)) u.client.close();
  for (const s of servers.splice(0)) await s.server.close();
});

async function node(): Promise<Running> {
  const running = await startServer({ redisUrl: redis.url, resumeGraceMs: 3000 });
  servers.push(running);
  return running;
}

/** A raw ws user: says hello (maybe with a resume token) and returns its welcome. */
async function traveller(
  url: string,
  resume?: string,
): Promise<{ ws: WebSocket; welcome: Welcome }> {
  const { ws } = await rawWs(url);
  sockets.push(ws);
  const welcome = new Promise<Welcome>((resolve) =>
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      const msg = decodeServerFrame(data.toString());
      if (msg.ok && msg.msg.t === 'welcome') resolve(msg.msg);
    }),
  );
  ws.send(
    JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'trip', name: 'Traveller', resume }),
  );
  return { ws, welcome: await welcome };
}

describe('resuming on another node', () => {
  it('keeps the seat (same id and color) and nobody sees a leave', async () => {
    const [a, b] = [await node(), await node()];
    const onA = await joinRoom(a.url, 'trip', 'Ada', 'ws');
    const onB = await joinRoom(b.url, 'trip', 'Bob', 'ws');
    users.push(onA, onB);
    const first = await traveller(a.url);
    const id = first.welcome.self.id;
    await waitFor(() => onB.client.users.has(id) && onA.client.users.has(id), 'both to see it');
    const states: string[] = [];
    onA.client.on('update', (u, change) => {
      if (u.id === id && change === 'state' && 'state' in u) states.push(u.state);
    });

    first.ws.terminate(); // the network drops: no close handshake
    await waitFor(() => states.includes('offline'), 'Ada to see the traveller offline');

    const second = await traveller(b.url, first.welcome.resume);
    expect(second.welcome).toMatchObject({
      resumed: true,
      self: { id, name: 'Traveller', color: first.welcome.self.color },
    });
    await waitFor(() => states.at(-1) === 'active', 'Ada to see it active again');

    // It moves through node B; Ada on node A and Bob on node B both see it.
    second.ws.send(encodeMoveBinary({ x: 77, y: 88 }));
    await waitFor(() => onA.seen.get(id)?.x === 77 && onB.seen.get(id)?.y === 88, 'the move');

    // Past node A's grace period: A let go of the seat instead of removing the user.
    await new Promise((r) => setTimeout(r, 3500));
    expect(onA.leaves).not.toContain(id);
    expect(onB.leaves).not.toContain(id);
    expect(onA.client.users.has(id)).toBe(true);
    expect(a.server.rooms.userCount).toBe(1); // Ada only
    expect(b.server.rooms.userCount).toBe(2); // Bob and the traveller
    expect(idOf(onA)).not.toBe(id);

    // The token it used is spent; the new one is what resumes now.
    const third = await traveller(a.url, first.welcome.resume);
    expect(third.welcome.resumed).toBe(false);
  }, 30_000);
});
