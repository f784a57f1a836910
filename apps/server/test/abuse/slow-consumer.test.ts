import type { Socket } from 'node:net';
import { decodeServerFrame, encodeMoveBinary, PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ChildServer, startChildServer } from '../child-server.ts';

/**
 * A client that never reads, for 60 s, in a room where 300 users move at 30 Hz. The server in
 * its own process must keep its memory bounded, drop that client, and keep everyone else fresh.
 */
const MOVERS = 300;
const RATE_HZ = 30;
const DURATION_MS = Number(process.env.SLOW_MS ?? 60_000);

let server: ChildServer;
afterAll(() => server?.stop());

/** A raw ws user in the busy room, once welcomed. */
function open(url: string, name: string): Promise<{ ws: WebSocket; id: number }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
  ws.on('error', () => {});
  return new Promise((resolve) => {
    ws.once('message', (data) => {
      const decoded = decodeServerFrame(String(data));
      if (decoded.ok && decoded.msg.t === 'welcome') resolve({ ws, id: decoded.msg.self.id });
    });
    ws.once('open', () =>
      ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'busy', name })),
    );
  });
}

/**
 * A SockJS xhr-streaming client that opens its stream, says hello, then never reads again.
 * Resolves with its user id once the server has welcomed it.
 */
async function stalledSockjs(url: string): Promise<{ id: number; stop: () => void }> {
  const base = `${url}/sockjs/000/${Math.random().toString(36).slice(2)}`;
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const stream = request(`${base}/xhr_streaming`, { method: 'POST' }, (res) => {
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('\no\n') && !seen.includes('hello-sent')) {
          seen += 'hello-sent';
          const hello = JSON.stringify({
            t: 'hello',
            v: PROTOCOL_VERSION,
            room: 'busy',
            name: 'stalled-sockjs',
          });
          fetch(`${base}/xhr_send`, { method: 'POST', body: JSON.stringify([hello]) });
        }
        const welcome = /"t\\":\\"welcome\\".*?\\"self\\":\{\\"id\\":(\d+)/.exec(seen);
        if (welcome) {
          res.off('data', onData);
          res.pause(); // and never read again
          resolve({ id: Number(welcome[1]), stop: () => stream.destroy() });
        }
      };
      res.on('data', onData);
    });
    stream.on('error', () => {});
    stream.end();
  });
}

/** Each position a mover sends is unique for the test, so a receiver can tell when it was sent. */
const positionOf = (seq: number) => ({ x: seq % 1600, y: Math.floor(seq / 1600) % 1000 });
const keyOf = (x: number, y: number) => y * 1600 + x;

describe('a slow consumer in a busy room', () => {
  it('is dropped while memory stays bounded and the others stay fresh', async () => {
    // Everyone gets everyone (a K above the room's size): with interest management (protocol
    // v3) most of the 300 would come at the low rate, too little traffic to fill the stalled
    // client's socket, and "fresh" would mean something else. Interest has its own tests.
    server = await startChildServer({
      MAX_CONNECTIONS_PER_IP: '10000',
      RATE_LIMIT: '100',
      INTEREST_K: '10000',
    });
    const sentAt = new Map<number, number[]>(); // mover id → send time by position key

    // Observers decode everything and track, per mover, the send time of the newest position.
    const freshness: number[] = [];
    const newest = [new Map<number, number>(), new Map<number, number>()];
    const leftAt = new Map<number, number>();
    const observers = await Promise.all([open(server.url, 'obs0'), open(server.url, 'obs1')]);
    for (const [i, { ws }] of observers.entries()) {
      ws.on('message', (data: Buffer, isBinary) => {
        if (!isBinary) {
          const msg = decodeServerFrame(data.toString());
          if (msg.ok && msg.msg.t === 'changes')
            for (const id of msg.msg.left ?? []) leftAt.set(id, Date.now());
          return;
        }
        const bytes = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.length);
        const decoded = decodeServerFrame(bytes);
        if (!decoded.ok || decoded.msg.t !== 'cursors') return;
        for (const { id, at } of decoded.msg.moves) {
          const sent = at ? sentAt.get(id)?.[keyOf(at.x, at.y)] : undefined;
          if (sent !== undefined) newest[i]?.set(id, sent);
        }
      });
    }
    const movers: { ws: WebSocket; id: number }[] = [];
    for (let i = 0; i < MOVERS; i += 50) {
      movers.push(
        ...(await Promise.all(Array.from({ length: 50 }, (_, k) => open(server.url, `m${i + k}`)))),
      );
    }
    for (const { id } of movers) sentAt.set(id, []);

    const { ws: stalled, id: stalledWsId } = await open(server.url, 'stalled');
    const stalledSock = await stalledSockjs(server.url);
    (stalled as unknown as { _socket: Socket })._socket.pause();

    const rss: number[] = [];
    let seq = 0;
    const started = Date.now();
    const tick = setInterval(() => {
      seq++;
      const now = Date.now();
      const at = positionOf(seq);
      for (const { ws, id } of movers) {
        const times = sentAt.get(id);
        if (times) times[keyOf(at.x, at.y)] = now;
        ws.send(encodeMoveBinary(at));
      }
    }, 1000 / RATE_HZ);
    const sampler = setInterval(() => {
      rss.push(server.rssKiB());
      const now = Date.now();
      if (now - started < 3000) return; // warm-up
      for (const seen of newest) for (const sent of seen.values()) freshness.push(now - sent);
    }, 500);

    // Live heap (after a forced GC) a quarter of the way in and at the end: no growth.
    await new Promise((r) => setTimeout(r, DURATION_MS / 4));
    const heapEarly = await server.heapAfterGcBytes();
    await new Promise((r) => setTimeout(r, (DURATION_MS * 3) / 4));
    const heapLate = await server.heapAfterGcBytes();
    clearInterval(tick);
    clearInterval(sampler);

    // Both clients that stopped reading were dropped within the minute, and after the resume
    // grace period their users left. The SockJS one: its stream hit sockjs's response limit, no
    // new stream came, so the session ended. The ws one: on loopback the kernel buffers ~10 MB
    // per socket, more than this room sends it in a minute, so backpressure never sees a queue;
    // but its pong never comes back (the ping waits behind the data it does not read), so the
    // heartbeat cuts it. (The backpressure test drives the ws path to its 1013.)
    const leftAfter = (id: number) => (leftAt.get(id) ?? Number.POSITIVE_INFINITY) - started;
    expect(leftAfter(stalledSock.id)).toBeLessThan(DURATION_MS);
    expect(leftAfter(stalledWsId)).toBeLessThan(DURATION_MS);
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health.users).toBe(MOVERS + 2); // the movers and the two observers
    console.log(
      `slow consumers left after ${leftAfter(stalledSock.id)} ms (SockJS), ${leftAfter(stalledWsId)} ms (ws)`,
    );

    // Memory bounded: the live heap did not grow, and resident memory (garbage included)
    // stayed within a modest range.
    const early = rss[4] ?? 0;
    expect(heapLate - heapEarly).toBeLessThan(8 * 1024 * 1024);
    expect(Math.max(...rss) - early).toBeLessThan(128 * 1024);

    // The others stayed fresh: the newest position they hold of each mover is recent.
    freshness.sort((a, b) => a - b);
    const p99 = freshness[Math.floor(freshness.length * 0.99)] ?? Number.POSITIVE_INFINITY;
    const p50 = freshness[Math.floor(freshness.length * 0.5)] ?? Number.POSITIVE_INFINITY;
    console.log(
      `freshness p50 ${p50} ms, p99 ${p99} ms; rss ${early}→${Math.max(...rss)} KiB; ` +
        `live heap ${heapEarly}→${heapLate} B`,
    );
    expect(p50).toBeLessThan(150);
    expect(p99).toBeLessThan(500);
    expect(server.alive()).toBe(true);

    for (const { ws } of [...movers, ...observers, { ws: stalled }]) ws.terminate();
    stalledSock.stop();
  }, 120_000);
});
