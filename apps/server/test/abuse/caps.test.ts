import { connect, type Socket } from 'node:net';
import { CloseCode, PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ChildServer, startChildServer } from '../child-server.ts';

/**
 * Caps an attacker would walk around, each against a server in its own process: seats that
 * outlive their connections, rooms that grow without bound, rooms created in a loop, sockets that
 * never send a request.
 */
let server: ChildServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const hello = (room: string, name: string) =>
  JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room, name });

/** Says hello; resolves with the close code, or 0 if it got a welcome and we dropped it. */
function helloThen(url: string, room: string, name: string, drop: boolean): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(-1);
    }, 5000);
    ws.on('error', () => {});
    ws.on('open', () => ws.send(hello(room, name)));
    ws.on('message', (data) => {
      if (!drop || !data.toString().startsWith('{"t":"welcome"')) return;
      // Gone without a close frame: the seat waits for a resume that never comes.
      ws.terminate();
      clearTimeout(timer);
      resolve(0);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('shutdown', () => {
  it('SIGTERM with clients on every websocket endpoint exits cleanly and says 1001', async () => {
    const running = await startChildServer();
    server = running;
    const base = running.url.replace('http', 'ws');
    const closes = ['/ws', '/sockjs/websocket', '/sockjs/0/shutdown/websocket'].map(
      (path) =>
        new Promise<{ code: number; frames: string[] }>((resolve) => {
          const ws = new WebSocket(`${base}${path}`);
          const frames: string[] = [];
          ws.on('error', () => {});
          ws.on('message', (d) => frames.push(d.toString()));
          ws.on('open', () => {
            const msg = hello('bye', `u${path.length}`);
            ws.send(path.includes('/0/') ? JSON.stringify([msg]) : msg);
          });
          ws.on('close', (code) => resolve({ code, frames }));
        }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const exitCode = await running.stop('SIGTERM');
    const [ws, raw, session] = await Promise.all(closes);
    expect(exitCode).toBe(0);
    expect(ws?.code).toBe(CloseCode.GoingAway);
    expect(raw?.code).toBe(3001); // 1001 as the raw SockJS endpoint must carry it
    expect(session?.frames.at(-1)).toMatch(/^c\[1001,/);
  });
});

describe('caps', () => {
  it('one address cannot hold more seats than its cap by hello-and-drop', async () => {
    server = await startChildServer({ MAX_CONNECTIONS_PER_IP: '20', RESUME_GRACE_MS: '30000' });
    const results: number[] = [];
    for (let i = 0; i < 60; i++) {
      results.push(await helloThen(server.url, `flood${i % 3}`, `seat${i}`, true));
    }
    expect(server.alive()).toBe(true);
    expect(results.filter((c) => c === 0)).toHaveLength(20);
    expect(results.filter((c) => c === CloseCode.TryAgainLater)).toHaveLength(40);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { users: number };
    expect(health.users).toBe(20);
  }, 60_000);

  it('a full room answers 4004 "room full"', async () => {
    server = await startChildServer({ MAX_ROOM_USERS: '3' });
    const kept: WebSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
      await new Promise((r) => ws.once('open', r));
      ws.send(hello('small', `u${i}`));
      await new Promise((r) => ws.once('message', r));
      kept.push(ws);
    }
    expect(await helloThen(server.url, 'small', 'fourth', false)).toBe(CloseCode.RoomFull);
    // Another room is still open to the same address.
    expect(await helloThen(server.url, 'other', 'fourth', true)).toBe(0);
    for (const ws of kept) ws.close(1000);
  });

  it('one address may create only so many new rooms a minute (4005, retryable)', async () => {
    server = await startChildServer({ MAX_NEW_ROOMS_PER_MIN: '5', RESUME_GRACE_MS: '0' });
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push(await helloThen(server.url, `new${i}`, 'maker', true));
    expect(codes.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(codes.slice(5)).toEqual([CloseCode.SlowDown, CloseCode.SlowDown, CloseCode.SlowDown]);
  });

  it('sockets that never send a request are capped per address and timed out', async () => {
    server = await startChildServer({ MAX_SOCKETS_PER_IP: '50', HEADERS_TIMEOUT_MS: '1500' });
    const sockets: Socket[] = [];
    const closedAt = new Map<Socket, number>();
    const started = Date.now();
    try {
      for (let i = 0; i < 80; i++) {
        const socket = connect(server.port, '127.0.0.1');
        socket.on('error', () => {});
        socket.on('close', () => closedAt.set(socket, Date.now() - started));
        sockets.push(socket);
      }
      await new Promise((r) => setTimeout(r, 500));
      // Beyond the cap a new socket is closed at once; up to 50 stay open (a pooled keep-alive
      // socket of this test process's fetch may hold one of the 50).
      const open = 80 - closedAt.size;
      expect(open).toBeLessThanOrEqual(50);
      expect(open).toBeGreaterThanOrEqual(48);
      // Once the headers timeout has cut the idle ones, requests work again.
      const deadline = Date.now() + 8000;
      while (closedAt.size < 80 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(closedAt.size).toBe(80);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.alive()).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
    }
  }, 30_000);
});
