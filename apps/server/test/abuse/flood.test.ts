import { CloseCode } from '@cursorline/protocol';
import SockJS from 'sockjs-client';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ChildServer, startChildServer } from '../child-server.ts';
import { idOf, joinRoom, type Running, startServer, type TestUser, waitFor } from '../helpers.ts';

type Outcome = 'open' | 503 | 'error';

function attempt(url: string): Promise<{ outcome: Outcome; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    ws.on('open', () => resolve({ outcome: 'open', ws }));
    ws.on('unexpected-response', (_req, res) =>
      resolve({ outcome: res.statusCode === 503 ? 503 : 'error', ws }),
    );
    ws.on('error', () => resolve({ outcome: 'error', ws }));
  });
}

async function canariesExchange(a: TestUser, b: TestUser, round: number): Promise<void> {
  a.client.move({ x: round, y: 1 });
  b.client.move({ x: round, y: 2 });
  await waitFor(() => b.seen.get(idOf(a))?.x === round, 'canary B to see A', 5000);
  await waitFor(() => a.seen.get(idOf(b))?.x === round, 'canary A to see B', 5000);
}

describe('connection flood', () => {
  let server: ChildServer;
  afterAll(() => server?.stop());

  it('accepts at most the cap of 1,000 out of 3,000 attempts and refuses the rest with 503', async () => {
    server = await startChildServer({
      MAX_CONNECTIONS: '1000',
      MAX_CONNECTIONS_PER_IP: '100000',
      HELLO_TIMEOUT_MS: '120000',
      LOG_LEVEL: 'warn',
    });
    const a = await joinRoom(server.url, 'canary', 'A', 'ws');
    const b = await joinRoom(server.url, 'canary', 'B', 'sockjs');
    await canariesExchange(a, b, 1);
    const baselineFds = server.openFds();

    const results: { outcome: Outcome; ws: WebSocket }[] = [];
    for (let i = 0; i < 3000; i += 250) {
      results.push(...(await Promise.all(Array.from({ length: 250 }, () => attempt(server.url)))));
      if (i === 1500) await canariesExchange(a, b, 2); // users keep working mid-flood
    }
    const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
    expect(count('open')).toBe(1000 - 2); // the canaries hold two of the thousand
    expect(count(503)).toBe(3000 - 998);
    expect(count('error')).toBe(0);
    await canariesExchange(a, b, 3);
    expect(server.alive()).toBe(true);

    for (const { ws } of results) ws.terminate();
    await waitFor(
      () => server.openFds() <= baselineFds + 2,
      'file descriptors back to baseline',
      10_000,
    );
    // Room for new users again.
    const { outcome, ws } = await attempt(server.url);
    expect(outcome).toBe('open');
    ws.terminate();
    a.client.close();
    b.client.close();
  }, 120_000);
});

describe('per-address cap', () => {
  let running: Running;
  afterAll(() => running.server.close());

  it('refuses a fourth connection from one address: 503 on ws, 1013 on SockJS', async () => {
    running = await startServer({ maxConnectionsPerIp: 3 });
    const held = await Promise.all([
      attempt(running.url),
      attempt(running.url),
      attempt(running.url),
    ]);
    expect(held.map((h) => h.outcome)).toEqual(['open', 'open', 'open']);
    expect((await attempt(running.url)).outcome).toBe(503);

    const code = await new Promise<number>((resolve) => {
      const sock = new SockJS(`${running.url}/sockjs`, null, { transports: ['xhr-streaming'] });
      sock.onclose = (e: CloseEvent) => resolve(e.code);
    });
    expect(code).toBe(CloseCode.TryAgainLater);

    held[0]?.ws.close();
    await waitFor(() => running.server.limits.open === 2, 'a slot to free up');
    const again = await attempt(running.url);
    expect(again.outcome).toBe('open');
    for (const h of [...held, again]) h.ws.terminate();
  });
});
