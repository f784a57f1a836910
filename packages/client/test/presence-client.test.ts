import type { AddressInfo } from 'node:net';
import {
  type ClientJson,
  decodeClientFrame,
  encodeBatchBinary,
  encodeJson,
  type Point,
  PROTOCOL_VERSION,
  type UserState,
} from '@cursorline/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { PresenceClient } from '../src/index.ts';

/**
 * The client against a scripted stand-in for the server (its neighbour in these tests): a real
 * ws server on port 0 that welcomes the client and records every cursor move it receives.
 */
let wss: WebSocketServer;
let url: string;
let socket: WebSocket | undefined;
let moves: (Point | null)[];
/** Every JSON message the client sent after its hello. */
let sent: ClientJson[];

const other: UserState = {
  id: 2,
  name: 'Other',
  color: '#1565c0',
  at: null,
  state: 'active',
  pointer: { kind: 'mouse', pressed: false },
  view: null,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  moves = [];
  sent = [];
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      const frame = isBinary
        ? new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length)
        : bytes.toString();
      const decoded = decodeClientFrame(frame);
      if (!decoded.ok) throw new Error(decoded.reason);
      const msg = decoded.msg;
      if (msg.t === 'hello') {
        ws.send(
          encodeJson({
            t: 'welcome',
            v: PROTOCOL_VERSION,
            room: msg.room,
            self: { id: 1, name: msg.name, color: '#c62828' },
            users: [],
            count: 0,
            resume: 'R'.repeat(22),
            resumed: false,
          }),
        );
      }
      if (msg.t === 'cursor') moves.push(msg.at);
      else if (msg.t !== 'hello') sent.push(msg);
    });
  });
});
afterEach(async () => {
  await new Promise((r) => wss.close(r));
  for (const ws of wss.clients) ws.terminate();
});

async function connected(sendIntervalMs = 40): Promise<PresenceClient> {
  const client = new PresenceClient({
    url,
    room: 'r',
    name: 'me',
    transport: 'ws',
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    sendIntervalMs,
    backoff: { baseMs: 10, capMs: 20 },
  });
  while (client.status !== 'open') await sleep(5);
  return client;
}

/** Read through a function so TypeScript does not narrow it between awaits. */
const statusOf = (client: PresenceClient) => client.status;
/** Protocol v3: an arrival rides in the tick's `changes` frame, with the room's new size. */
const join = (user: UserState) =>
  socket?.send(encodeJson({ t: 'changes', users: [], joined: [user], count: 2 }));

describe('PresenceClient cursor sending', () => {
  it('sends nothing while alone, then the newest position once someone joins', async () => {
    const client = await connected();
    for (let x = 0; x < 50; x++) client.move({ x, y: 1 });
    await sleep(150);
    expect(moves).toEqual([]);

    join(other);
    await sleep(100);
    expect(moves).toEqual([{ x: 49, y: 1 }]);
    client.close();
  });

  it('sends at a bounded rate, latest wins', async () => {
    const client = await connected(50);
    join(other);
    await sleep(20);
    const started = Date.now();
    let x = 0;
    while (Date.now() - started < 500) {
      client.move({ x: x++, y: 2 });
      await sleep(2);
    }
    await sleep(100);
    // About 500 ms / 50 ms = 10 sends (+1 for the first slot) for ~200 moves, the last the newest.
    expect(moves.length).toBeGreaterThanOrEqual(5);
    expect(moves.length).toBeLessThanOrEqual(12);
    expect(moves.at(-1)).toEqual({ x: x - 1, y: 2 });
    client.close();
  });

  it('drops moves made while disconnected and sends nothing stale after reconnecting', async () => {
    const client = await connected();
    join(other);
    await sleep(20);
    const dropped = new Promise<void>((resolve) =>
      client.on('status', (status) => {
        if (status === 'reconnecting') {
          client.move({ x: 7, y: 7 }); // made offline: stale by the time we are back
          resolve();
        }
      }),
    );
    socket?.terminate();
    await dropped;
    while (statusOf(client) !== 'open') await sleep(5);
    join(other);
    await sleep(150);
    expect(moves).toEqual([]);
    client.move({ x: 8, y: 8 });
    await sleep(100);
    expect(moves).toEqual([{ x: 8, y: 8 }]);
    client.close();
  });

  it('refuses chat and names the server would close it for, and sends them nothing', async () => {
    const client = await connected();
    expect(client.chat('zero\u200bwidth')).toBe(false);
    expect(client.chat('bell\u0007')).toBe(false);
    expect(client.setName('\u3164')).toBe(false); // a Hangul filler: looks like nothing
    expect(client.chat('x'.repeat(81))).toBe(false);
    expect(client.setName('   ')).toBe(false);
    expect(client.chat('  fine  ')).toBe(true);
    await sleep(50);
    expect(client.status).toBe('open'); // a refused message would have closed us with 1008
    client.close();
  });

  it('stops for good on a close code that reconnecting would repeat', async () => {
    const client = await connected();
    socket?.close(4001, 'protocol version 1 unsupported');
    while (client.status === 'open') await sleep(5);
    expect(statusOf(client)).toBe('closed');
    await sleep(100);
    expect(wss.clients.size).toBe(0);
  });
});

describe('PresenceClient in a big room (protocol v3)', () => {
  it('asks who an unknown mover is, learns them from the roster, then shows their cursor', async () => {
    const client = await connected();
    const joins: number[] = [];
    const cursors: number[] = [];
    const counts: number[] = [];
    client.on('join', (u) => joins.push(u.id));
    client.on('cursors', (m) => cursors.push(...m.map((u) => u.id)));
    client.on('count', (n) => counts.push(n));
    // A room of 5,000 whose arrivals are only counted: nobody listed in full.
    socket?.send(encodeJson({ t: 'changes', users: [], count: 5000 }));
    socket?.send(encodeBatchBinary([{ id: 2, at: { x: 1, y: 1 } }]));
    await sleep(50);
    expect(cursors).toEqual([]); // unknown: no name, no color to draw it with
    expect(sent).toContainEqual({ t: 'who', ids: [2] });
    socket?.send(encodeJson({ t: 'roster', users: [other], next: null, count: 5000 }));
    socket?.send(encodeBatchBinary([{ id: 2, at: { x: 3, y: 3 } }]));
    await sleep(50);
    expect(joins).toEqual([2]);
    expect(cursors).toEqual([2]);
    expect(counts.at(-1)).toBe(4999);
    expect(client.count).toBe(4999);
    client.follow(2);
    client.roster(0);
    await sleep(50);
    expect(sent).toContainEqual({ t: 'follow', id: 2 });
    expect(sent).toContainEqual({ t: 'who', after: 0 });
    client.close();
  });

  it('takes arrivals and departures from changes', async () => {
    const client = await connected();
    const leaves: number[] = [];
    client.on('leave', (id) => leaves.push(id));
    socket?.send(encodeJson({ t: 'changes', users: [], joined: [other], count: 2 }));
    await sleep(30);
    expect(client.users.has(2)).toBe(true);
    socket?.send(encodeJson({ t: 'changes', users: [], left: [2, 99], count: 1 }));
    await sleep(30);
    expect(leaves).toEqual([2]); // 99 was never known: ignored
    expect(client.count).toBe(0);
    client.close();
  });
});

describe('PresenceClient relayed messages', () => {
  it('passes chat and reactions on through one relay event, only from users it knows', async () => {
    const client = await connected();
    const relayed: unknown[] = [];
    const chats: string[] = [];
    client.on('relay', (msg) => relayed.push(msg));
    client.onRelay('chat', (msg) => chats.push(msg.text));
    join(other);
    socket?.send(encodeJson({ t: 'chat', id: 99, text: 'from a stranger' }));
    socket?.send(encodeJson({ t: 'chat', id: 2, text: 'hi' }));
    socket?.send(encodeJson({ t: 'react', id: 2, emoji: '🎉' }));
    await sleep(50);
    expect(relayed).toEqual([
      { t: 'chat', id: 2, text: 'hi' },
      { t: 'react', id: 2, emoji: '🎉' },
    ]);
    expect(chats).toEqual(['hi']);
    client.close();
  });

  it('sends any message of the protocol with send(), and refuses what the server would', async () => {
    const client = await connected();
    expect(client.send({ t: 'react', emoji: '🎉' })).toBe(true);
    // Not a reaction the protocol knows: sending it would get the connection closed for good.
    expect(client.send({ t: 'react', emoji: '💩' } as never)).toBe(false);
    await sleep(50);
    expect(sent).toEqual([{ t: 'react', emoji: '🎉' }]);
    client.close();
  });
});
