import {
  type BackoffOptions,
  PresenceClient,
  type SockjsTransport,
  type TransportName,
} from '@cursorline/client';
import { WebSocket } from 'ws';
import type { ServerConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { type CursorlineServer, createServer } from '../src/server.ts';

export interface Running {
  server: CursorlineServer;
  url: string;
}

/** A real server on a free loopback port. */
export async function startServer(overrides: Partial<ServerConfig> = {}): Promise<Running> {
  const server = createServer(
    { host: '127.0.0.1', port: 0, ...overrides },
    createLogger(process.env.LOG_LEVEL ?? 'silent'),
  );
  const port = await server.listen();
  return { server, url: `http://127.0.0.1:${port}` };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface TestUser {
  client: PresenceClient;
  /** Newest position seen of each other user, from cursor batches. */
  seen: Map<number, { x: number; y: number } | null>;
  joins: number[];
  leaves: number[];
}

/** A real client over a real transport, recording what it sees. */
export async function joinRoom(
  url: string,
  room: string,
  name: string,
  transport: TransportName,
  sockjsTransports?: SockjsTransport[],
  backoff?: BackoffOptions,
): Promise<TestUser> {
  const client = new PresenceClient({
    url,
    room,
    name,
    transport,
    sockjsTransports,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    sendIntervalMs: 10,
    backoff,
  });
  const user: TestUser = { client, seen: new Map(), joins: [], leaves: [] };
  client.on('cursors', (moves) => {
    for (const { id, at } of moves) user.seen.set(id, at);
  });
  client.on('join', (u) => user.joins.push(u.id));
  client.on('leave', (id) => user.leaves.push(id));
  await waitFor(() => client.status === 'open', `${name} to join over ${transport}`);
  return user;
}

/**
 * A real server with two users in one room, one over ws and one over SockJS: the audience most
 * tests need to show that something reaches others (or does not). `close()` undoes it all.
 */
export async function serverWithTwo(
  room: string,
  names: [string, string] = ['A', 'B'],
  overrides: Partial<ServerConfig> = {},
): Promise<{ running: Running; a: TestUser; b: TestUser; close(): Promise<void> }> {
  const running = await startServer(overrides);
  const a = await joinRoom(running.url, room, names[0], 'ws');
  const b = await joinRoom(running.url, room, names[1], 'sockjs');
  return {
    running,
    a,
    b,
    async close() {
      a.client.close();
      b.client.close();
      await running.server.close();
    },
  };
}

export function idOf(user: TestUser): number {
  const id = user.client.self?.id;
  if (id === undefined) throw new Error('not joined');
  return id;
}

export interface RawClose {
  code: number;
  reason: string;
}

/** A bare `ws` socket for sending exactly the bytes we want. */
export function rawWs(url: string): Promise<{ ws: WebSocket; closed: Promise<RawClose> }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  const closed = new Promise<RawClose>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('error', reject);
  });
}
