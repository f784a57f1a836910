import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PresenceClient, type Remembered, type TransportMemory } from '@cursorline/client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Running, startServer, waitFor } from './helpers.ts';

/** `transport: 'auto'` against real servers: one that serves ws, one that refuses it. */
const running: Running[] = [];
const clients: PresenceClient[] = [];
const others: Server[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) await r.server.close();
  for (const s of others.splice(0)) await new Promise((r) => s.close(r));
});

async function track(overrides: Parameters<typeof startServer>[0]): Promise<Running> {
  const r = await startServer(overrides);
  running.push(r);
  return r;
}

function memory(): TransportMemory & { map: Map<string, Remembered> } {
  const map = new Map<string, Remembered>();
  return {
    map,
    get: (o) => map.get(o),
    set: (o, v) => void map.set(o, v),
    forget: (o) => void map.delete(o),
  };
}

function client(url: string, mem: TransportMemory, wsTimeoutMs?: number): PresenceClient {
  const c = new PresenceClient({
    url,
    room: 'auto',
    name: `User ${clients.length + 1}`,
    memory: mem,
    wsTimeoutMs,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  clients.push(c);
  return c;
}

describe("transport 'auto'", () => {
  it('uses raw WebSocket where it works, and remembers nothing', async () => {
    const { url } = await track({});
    const mem = memory();
    const c = client(url, mem);
    let fallback: string | undefined = 'unset';
    c.on('status', (s, d) => {
      if (s === 'open') fallback = d.fallback;
    });
    await waitFor(() => c.status === 'open', 'open');
    expect(c.transport).toBe('ws');
    expect(fallback).toBeUndefined();
    expect(mem.map.size).toBe(0);
  });

  it('falls back to SockJS when the upgrade is refused, says why, and goes straight there next time', async () => {
    // A server without ws destroys /ws upgrades: the browser sees what a refusing proxy gives.
    const { url } = await track({ transports: ['sockjs'] });
    const mem = memory();
    const first = client(url, mem);
    let fallback: string | undefined;
    first.on('status', (s, d) => {
      if (s === 'open') fallback = d.fallback;
    });
    await waitFor(() => first.status === 'open', 'open via SockJS');
    expect(first.transport).toMatch(/^sockjs\//);
    expect(fallback).toBe('WebSocket blocked');
    const remembered = mem.map.get(new URL(url).origin);
    expect(remembered?.reason).toBe('WebSocket blocked');
    expect(remembered?.until).toBeGreaterThan(Date.now() + 60_000);

    // A second client with that memory opens no WebSocket at all: it is in after one attempt.
    const second = client(url, mem);
    const started = Date.now();
    await waitFor(() => second.status === 'open', 'second open');
    expect(second.transport).toMatch(/^sockjs\//);
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor(() => first.users.size === 1 && second.users.size === 1, 'see each other');
  });

  it('falls back when the upgrade gets no answer within the timeout', async () => {
    // A relay in front of a real server that passes HTTP (so SockJS's HTTP transports work)
    // and swallows every upgrade, like a proxy that neither forwards nor refuses them.
    const { url } = await track({ transports: ['sockjs'] });
    const target = new URL(url);
    const silent = createHttpServer((req, res) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    const swallowed: Socket[] = [];
    silent.on('upgrade', (_req, socket: Socket) => swallowed.push(socket)); // never answered
    others.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;

    const mem = memory();
    const c = client(silentUrl, mem, 300);
    let fallback: string | undefined;
    c.on('status', (s, d) => {
      if (s === 'open') fallback = d.fallback;
    });
    await waitFor(() => c.status === 'open', 'open via SockJS', 8000);
    expect(c.transport).toMatch(/^sockjs\/xhr/);
    expect(fallback).toBe('WebSocket timed out');
    for (const socket of swallowed) socket.destroy();
    silent.closeAllConnections();
  });

  it('does not remember SockJS when the server is simply down', async () => {
    const { url, server } = await startServer();
    await server.close();
    const mem = memory();
    const c = client(url, mem);
    await waitFor(() => c.status === 'reconnecting', 'give up this attempt', 8000);
    expect(mem.map.size).toBe(0);
  });
});
