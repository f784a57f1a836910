import { PresenceClient } from '@cursorline/client';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ChildServer, startChildServer } from '../child-server.ts';
import { waitFor } from '../helpers.ts';

/**
 * 1,000 real clients with the default backoff (full jitter, 1 s base, 30 s cap) when their
 * server restarts: all must be back within 30 s, and their returns must be spread out rather
 * than arrive as one thundering herd.
 */
const CLIENTS = 1000;
let server: ChildServer;
const clients: PresenceClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

describe('reconnect storm', () => {
  it('brings 1,000 clients back within 30 s of a restart, spread by jitter', async () => {
    // All 1,000 come from one address here, as from behind one proxy: raise its caps.
    const env = { MAX_CONNECTIONS_PER_IP: '5000', MAX_NEW_ROOMS_PER_MIN: '1000' };
    server = await startChildServer(env);
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(
        new PresenceClient({
          url: server.url,
          room: `storm${i % 50}`,
          name: `u${i}`,
          transport: 'ws',
          WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
        }),
      );
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => clients.every((c) => c.status === 'open'), 'all to connect', 30_000);

    const backAt = new Map<PresenceClient, number>();
    for (const c of clients) {
      c.on('status', (status) => {
        if (status === 'open' && !backAt.has(c)) backAt.set(c, Date.now());
      });
    }
    const port = server.port;
    await server.stop('SIGTERM'); // clients are told 1001 and start backing off
    server = await startChildServer(env, port);
    const restartedAt = Date.now();

    await waitFor(() => backAt.size === CLIENTS, 'every client to be back', 30_000);
    const delays = [...backAt.values()].map((t) => t - restartedAt).sort((a, b) => a - b);
    const at = (q: number) => delays[Math.floor(q * (delays.length - 1))] ?? 0;
    console.log(
      `back after restart: p10 ${at(0.1)} ms, p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`,
    );
    expect(at(1)).toBeLessThan(30_000);
    // Jitter: the returns are spread over time, not bunched into one instant.
    expect(at(0.9) - at(0.1)).toBeGreaterThan(500);
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health.users).toBe(CLIENTS);
  }, 90_000);
});
