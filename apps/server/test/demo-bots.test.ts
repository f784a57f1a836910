import { PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.ts';
import { joinRoom, type Running, rawWs, startServer, type TestUser, waitFor } from './helpers.ts';

let running: Running | undefined;
let visitor: TestUser | undefined;
afterEach(async () => {
  visitor?.client.close();
  await running?.server.close();
  running = undefined;
  visitor = undefined;
});

describe('demo-site mode', () => {
  it('is off by default', async () => {
    running = await startServer();
    visitor = await joinRoom(running.url, 'demo', 'Visitor', 'ws');
    await new Promise((r) => setTimeout(r, 200));
    expect(visitor.client.users.size).toBe(0);
  });

  it('puts DEMO_BOTS moving ambient users, marked bot, in each demo room', async () => {
    const { demoBots, demoRooms } = configFromEnv({ DEMO_BOTS: '3', DEMO_ROOMS: 'demo,lobby' });
    running = await startServer({ demoBots, demoRooms });
    visitor = await joinRoom(running.url, 'lobby', 'Visitor', 'sockjs');
    const bots = [...visitor.client.users.values()];
    expect(bots).toHaveLength(3);
    expect(bots.every((u) => u.bot === true)).toBe(true);
    // They move along paths: several distinct positions each within a second.
    const seen = new Map<number, Set<string>>();
    visitor.client.on('cursors', (moves) => {
      for (const { id, at } of moves) {
        if (!seen.has(id)) seen.set(id, new Set());
        seen.get(id)?.add(`${at?.x},${at?.y}`);
      }
    });
    await waitFor(
      () => seen.size === 3 && [...seen.values()].every((s) => s.size >= 3),
      'the bots to move',
      3000,
    );
    expect(running.server.rooms.userCount).toBe(7); // 3 + 3 bots, and the visitor
  });

  it('lets no client claim to be a bot', async () => {
    running = await startServer();
    visitor = await joinRoom(running.url, 'r', 'B', 'ws');
    // A hand-made hello that asks for it: either refused or ignored, never a bot.
    const { ws } = await rawWs(running.url);
    ws.send(
      JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'r', name: 'Fake', bot: true }),
    );
    await new Promise((r) => setTimeout(r, 300));
    for (const user of visitor.client.users.values()) expect(user.bot).toBeUndefined();
    ws.close();
  });
});
