import { request } from 'node:http';
import { PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { joinRoom, type Running, rawWs, startServer, waitFor } from './helpers.ts';

let running: Running;
afterEach(() => running.server.close());

const metrics = async () => (await fetch(`${running.url}/metrics`)).text();
const value = (text: string, series: string) =>
  Number(
    new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN,
  );

describe('metrics', () => {
  it('count connections, rooms, traffic, closes and event-loop lag', async () => {
    running = await startServer();
    const a = await joinRoom(running.url, 'm', 'A', 'ws');
    const b = await joinRoom(running.url, 'm', 'B', 'sockjs');
    a.client.move({ x: 1, y: 1 });
    await waitFor(() => b.seen.size === 1, 'a move');
    const { ws, closed } = await rawWs(running.url);
    ws.send('{"t":"nope"}');
    await closed;

    const text = await metrics();
    expect(value(text, 'cursorline_connections{transport="ws"}')).toBe(1);
    expect(value(text, 'cursorline_connections{transport="sockjs"}')).toBe(1);
    expect(value(text, 'cursorline_rooms')).toBe(1);
    expect(value(text, 'cursorline_users')).toBe(2);
    expect(value(text, 'cursorline_messages_in_total{transport="ws"}')).toBeGreaterThanOrEqual(3);
    expect(value(text, 'cursorline_bytes_out_total{transport="sockjs"}')).toBeGreaterThan(0);
    expect(value(text, 'cursorline_closes_total{code="1008"}')).toBe(1);
    expect(value(text, 'cursorline_frames_skipped_total')).toBe(0);
    expect(text).not.toMatch(/cursorline_closes_total\{code="1009"\} [1-9]/);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \S+$/m);
    a.client.close();
    b.client.close();
  });

  it('count the 1009 of a frame over MAX_MESSAGE_BYTES like any other close', async () => {
    running = await startServer({ maxMessageBytes: 1024 });
    const { ws, closed } = await rawWs(running.url);
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'm', name: 'n' }));
    ws.send(JSON.stringify({ t: 'chat', text: 'x'.repeat(2000) }));
    expect((await closed).code).toBe(1009);
    expect(value(await metrics(), 'cursorline_closes_total{code="1009"}')).toBe(1);
  });

  it('can be switched off', async () => {
    running = await startServer({ metrics: false });
    expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
  });
});

describe('readiness and shutdown', () => {
  it('is ready until shutdown starts, then refuses new connections and says 1001 to clients', async () => {
    running = await startServer();
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    const { ws, closed } = await rawWs(running.url);
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'r', name: 'n' }));
    const closing = running.server.close();
    expect(await closed).toMatchObject({ code: 1001 });
    await closing;
  });
});

describe('SockJS POST bodies', () => {
  function post(path: string, body: Buffer, chunked: boolean) {
    return new Promise<number | 'cut'>((resolve) => {
      const headers = chunked
        ? { 'transfer-encoding': 'chunked' }
        : { 'content-length': body.length };
      const req = request(`${running.url}${path}`, { method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve('cut'));
      if (chunked) {
        for (let i = 0; i < body.length; i += 4096) req.write(body.subarray(i, i + 4096));
        req.end();
      } else req.end(body);
    });
  }

  // sockjs answers the send endpoints under several URL forms: the cap must hold on every one.
  const forms = [
    '/sockjs/000/bodytest/xhr_send',
    '/sockjs/000/bodytest/xhr_send/',
    '/sockjs/000/bodytest/xhr_send?x=1',
    '/sockjs/000/bodytest/xhr_send/?x=1',
    '/sockjs/000/bodytest/jsonp_send',
    '/sockjs/000/bodytest/jsonp_send/?c=x',
  ];
  // The receiving endpoints are POSTs too; sockjs answers them without reading a body, but a
  // declared oversize one is still refused before anything happens.
  const receivers = ['/sockjs/000/bodytest/xhr', '/sockjs/000/bodytest/xhr_streaming/?x'];

  it.each(receivers)('refuses a declared oversize body on %s', async (path) => {
    running = await startServer({ maxMessageBytes: 1024 });
    expect(await post(path, Buffer.alloc(64 * 1024, 0x61), false)).toBe(413);
  });

  it.each(forms)(
    'refuses an oversize body on %s: declared (413) or streamed (cut)',
    async (path) => {
      running = await startServer({ maxMessageBytes: 1024 });
      const big = Buffer.alloc(64 * 1024, 0x61);
      expect(await post(path, big, false)).toBe(413);
      expect([413, 'cut']).toContain(await post(path, big, true));
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    },
  );

  it('stops reading a huge streamed body at once instead of buffering it', async () => {
    running = await startServer({ maxMessageBytes: 1024 });
    // Up to 64 MiB without Content-Length: the tutorial-era sockjs would buffer it all (and, by
    // string concatenation, spend seconds of CPU on it). We count how much we got to send.
    const started = process.cpuUsage();
    const sent = await new Promise<number>((resolve) => {
      let bytes = 0;
      let done = false;
      const finish = () => {
        if (!done) resolve(bytes);
        done = true;
      };
      const req = request(`${running.url}/sockjs/000/huge/xhr_send/?q`, {
        method: 'POST',
        headers: { 'transfer-encoding': 'chunked' },
      });
      req.on('response', finish);
      req.on('error', finish);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!done && bytes < 64 * 1024 * 1024) {
          bytes += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!done) req.end();
      };
      pump();
    });
    const cpu = process.cpuUsage(started);
    // Refused within the first few MiB (what the kernel's socket buffers hold), not 64 MiB.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(5);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });
});
