import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idOf, joinRoom, type Running, startServer, type TestUser, waitFor } from './helpers.ts';

let running: Running;
const users: TestUser[] = [];
const join = async (...args: Parameters<typeof joinRoom>) => {
  const user = await joinRoom(...args);
  users.push(user);
  return user;
};

beforeEach(async () => {
  running = await startServer();
});
afterEach(async () => {
  for (const user of users.splice(0)) user.client.close();
  await running.server.close();
});

describe('users on ws and SockJS share a room', () => {
  it('see each other join, move, rename and leave', async () => {
    const a = await join(running.url, 'lobby', 'Ada', 'ws');
    const b = await join(running.url, 'lobby', 'Bob', 'sockjs');

    // Ada learns of Bob by a join; Bob learns of Ada from the welcome snapshot.
    await waitFor(() => a.client.users.has(idOf(b)), 'Ada to see Bob');
    expect(b.client.users.get(idOf(a))?.name).toBe('Ada');
    expect(a.joins).toEqual([idOf(b)]);

    a.client.move({ x: 100, y: 200 });
    b.client.move({ x: 1600, y: 0 });
    await waitFor(() => b.seen.get(idOf(a))?.x === 100, 'Bob to see Ada move');
    await waitFor(() => a.seen.get(idOf(b))?.x === 1600, 'Ada to see Bob move');
    expect(b.seen.get(idOf(a))).toEqual({ x: 100, y: 200 });
    expect(a.seen.get(idOf(b))).toEqual({ x: 1600, y: 0 });
    // Nobody receives their own moves back.
    expect(a.seen.has(idOf(a))).toBe(false);

    b.client.move(null);
    await waitFor(() => a.seen.get(idOf(b)) === null, 'Bob to hide his cursor');

    a.client.setName('Ada L.');
    await waitFor(() => b.client.users.get(idOf(a))?.name === 'Ada L.', 'rename to reach Bob');

    const bobId = idOf(b);
    b.client.close();
    await waitFor(() => !a.client.users.has(bobId), 'Bob to leave');
    expect(a.leaves).toEqual([bobId]);
  });

  it('gives a newcomer everyone present, including users who are not moving', async () => {
    const still = await join(running.url, 'r1', 'Still', 'sockjs');
    const mover = await join(running.url, 'r1', 'Mover', 'ws');
    still.client.move({ x: 10, y: 20 });
    await waitFor(() => mover.seen.get(idOf(still))?.x === 10, 'the move to land');

    const late = await join(running.url, 'r1', 'Late', 'ws');
    const snapshot = late.client.users;
    expect([...snapshot.values()].map((u) => u.name).sort()).toEqual(['Mover', 'Still']);
    expect(snapshot.get(idOf(still))?.at).toEqual({ x: 10, y: 20 });
    expect(snapshot.get(idOf(mover))?.at).toBeNull();
  });

  it('assigns distinct ids and colors and ignores identity a client tries to claim', async () => {
    const a = await join(running.url, 'colors', 'A', 'ws');
    const b = await join(running.url, 'colors', 'B', 'sockjs');
    const c = await join(running.url, 'colors', 'C', 'ws');
    const selves = [a, b, c].map((u) => u.client.self);
    expect(new Set(selves.map((s) => s?.id)).size).toBe(3);
    expect(new Set(selves.map((s) => s?.color)).size).toBe(3);
  });

  it('keeps rooms apart', async () => {
    const a = await join(running.url, 'room-a', 'A', 'ws');
    const b = await join(running.url, 'room-b', 'B', 'ws');
    const a2 = await join(running.url, 'room-a', 'A2', 'sockjs');
    a.client.move({ x: 1, y: 1 });
    await waitFor(() => a2.seen.has(idOf(a)), 'A2 to see A');
    expect(b.client.users.size).toBe(0);
    expect(b.seen.size).toBe(0);
  });

  it('removes a user at once when they leave (the client closes), on either transport', async () => {
    const watcher = await join(running.url, 'drops', 'Watcher', 'ws');
    const viaWs = await join(running.url, 'drops', 'W', 'ws');
    const viaSockjs = await join(running.url, 'drops', 'S', 'sockjs', ['websocket']);
    await waitFor(() => watcher.client.users.size === 2, 'both to join');
    expect(viaSockjs.client.transport).toBe('sockjs/websocket');

    const started = Date.now();
    viaWs.client.close();
    viaSockjs.client.close();
    await waitFor(() => watcher.client.users.size === 0, 'both to be removed', 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(running.server.rooms.userCount).toBe(1);
  });

  it.each([['xhr-streaming'], ['xhr-polling']] as const)(
    'works over SockJS forced to %s',
    async (fallback) => {
      const a = await join(running.url, `fb-${fallback}`, 'A', 'sockjs', [fallback]);
      const b = await join(running.url, `fb-${fallback}`, 'B', 'ws');
      expect(a.client.transport).toBe(`sockjs/${fallback}`);
      await waitFor(() => a.client.users.has(idOf(b)), 'A to see B over the fallback');
      b.client.move({ x: 5, y: 6 });
      a.client.move({ x: 7, y: 8 });
      await waitFor(() => a.seen.get(idOf(b))?.y === 6, 'A to see B move');
      await waitFor(() => b.seen.get(idOf(a))?.y === 8, 'B to see A move');
    },
  );
});
