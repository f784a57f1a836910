import { PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { joinRoom, type Running, startServer, waitFor } from './helpers.ts';

let running: Running;
afterEach(() => running.server.close());

describe('heartbeats', () => {
  it('cuts a connection that stops answering pings, and keeps one that answers', async () => {
    running = await startServer({ heartbeatMs: 200, heartbeatTimeoutMs: 150, resumeGraceMs: 300 });
    const watcher = await joinRoom(running.url, 'hb', 'watcher', 'ws');

    // A client whose network died: it never answers a ping (ws would answer by itself).
    const dead = new WebSocket(`${running.url.replace('http', 'ws')}/ws`, { autoPong: false });
    await new Promise((r) => dead.once('open', r));
    dead.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'hb', name: 'dead' }));
    await waitFor(() => watcher.client.users.size === 1, 'the dead one to join');
    const deadId = [...watcher.client.users.keys()][0] ?? 0;
    const closedAt = new Promise<number>((r) => dead.once('close', () => r(Date.now())));
    const started = Date.now();

    // It is cut within one interval plus the timeout, shown offline, then removed after grace.
    const cut = await closedAt;
    expect(cut - started).toBeLessThan(200 + 150 + 200);
    await waitFor(() => watcher.client.users.get(deadId)?.state === 'offline', 'offline', 1000);
    await waitFor(() => !watcher.client.users.has(deadId), 'removal after grace', 2000);

    // Meanwhile the watcher, which answers, has stayed through several rounds.
    expect(watcher.client.status).toBe('open');
    watcher.client.close();
  });
});
