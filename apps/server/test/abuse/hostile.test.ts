import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode, PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ChildServer, startChildServer } from '../child-server.ts';
import { idOf, joinRoom, type TestUser, waitFor } from '../helpers.ts';

/**
 * Each finding of the attack pass on the production build, as a regression test against a server
 * in its own process: a crash shows up as a dead process (the test fails, it does not hang), and
 * the canary pair must still see each other's cursors afterwards.
 */
let server: ChildServer;
let a: TestUser;
let b: TestUser;

const hello = (room = 'hostile', name = 'mallory') =>
  JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room, name });

interface Closed {
  code: number;
  reason: string;
  /** Text frames received before the close (sockjs frames: o, a[...], c[...]). */
  frames: string[];
}

/** A raw WebSocket to any path; resolves when it closes, or after `ms` with code -1. */
function wsTalk(path: string, send: (ws: WebSocket) => void, ms = 5000): Promise<Closed> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`);
    const frames: string[] = [];
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ code: -1, reason: 'timeout', frames });
    }, ms);
    ws.on('error', () => {});
    ws.on('open', () => send(ws));
    ws.on('message', (data) => frames.push(data.toString()));
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString(), frames });
    });
  });
}

async function canariesStillTalk(): Promise<void> {
  expect(server.alive()).toBe(true);
  const x = Math.floor(Math.random() * 1600);
  a.client.move({ x, y: 1 });
  await waitFor(() => b.seen.get(idOf(a))?.x === x, 'canary cursor', 5000);
}

beforeAll(async () => {
  // Production defaults, serving a stand-in page (the real one is checked by the e2e suite).
  const page = mkdtempSync(join(tmpdir(), 'cursorline-page-'));
  writeFileSync(join(page, 'index.html'), '<!doctype html><title>page</title>');
  server = await startChildServer({
    NODE_ENV: 'production',
    STATIC_DIR: page,
    METRICS_TOKEN: 'a-metrics-token-of-16+',
  });
  a = await joinRoom(server.url, 'hostile', 'canaryA', 'ws');
  b = await joinRoom(server.url, 'hostile', 'canaryB', 'sockjs');
}, 30_000);
afterAll(async () => {
  a?.client.close();
  b?.client.close();
  await server?.stop();
});

describe('frames that used to kill the process', () => {
  it('a close reason built from multi-byte input (ws)', async () => {
    const closed = await wsTalk('/ws', (ws) => {
      ws.send(hello());
      ws.send(JSON.stringify({ t: '€'.repeat(200) }));
    });
    expect(closed.code).toBe(CloseCode.PolicyViolation);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    await canariesStillTalk();
  });

  it.each([['[5]'], ['[null]'], ['[{}]'], ['[["nested"]]'], ['[true]'], ['5']])(
    'a non-string SockJS payload %s over its session websocket',
    async (payload) => {
      const closed = await wsTalk('/sockjs/000/nonstring/websocket', (ws) => ws.send(payload));
      expect(closed.frames[0]).toBe('o');
      expect(closed.frames.at(-1)).toMatch(/^c\[1007,/);
      await canariesStillTalk();
    },
  );

  it.each([['["x","y"]'], ['["{\\"t\\":\\"bye\\"}","cAAAAAA"]']])(
    'a SockJS frame of several messages whose first ends the session: %s',
    async (payload) => {
      // sockjs loops over the messages of one frame; closing in the middle used to throw there.
      const closed = await wsTalk('/sockjs/0/several/websocket', (ws) => ws.send(payload));
      expect(closed.frames.at(-1)).toMatch(/^c\[(1007|1008|1000),/);
      await canariesStillTalk();
    },
  );

  it.each([
    ['POST', 'constructor/xhr_send'],
    ['POST', '__proto__/xhr'],
    ['POST', 'hasOwnProperty/xhr_streaming'],
    ['GET', 'toString/eventsource'],
  ])('a session id that is a property of Object.prototype: %s %s', async (method, rest) => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/sockjs/a/${rest}`, { method }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.setTimeout(3000, () => req.destroy(new Error('no answer')));
      req.on('error', reject);
      req.end(method === 'POST' ? '["x"]' : undefined);
    });
    expect(status).toBe(404);
  });

  it.each([
    ['not JSON', 'garbage{', 3007],
    ['a message before hello', '{"t":"bye"}', 3008],
    ['an unknown type', JSON.stringify({ t: 'x'.repeat(300) }), 3008],
    ['a bad version', JSON.stringify({ t: 'hello', v: 99, room: 'r', name: 'n' }), 4001],
  ])('a refusal on the raw SockJS websocket: %s', async (_, frame, code) => {
    // Its library takes only 1000 and 3000-4999: our 1xxx codes travel as 3000 + (code - 1000).
    const closed = await wsTalk('/sockjs/websocket', (ws) => ws.send(frame));
    expect(closed.code).toBe(code);
    await canariesStillTalk();
  });

  it('binary on the raw SockJS websocket (a text-only path)', async () => {
    const closed = await wsTalk('/sockjs/websocket', (ws) => ws.send(Buffer.from([1, 2, 3])));
    expect(closed.code).toBe(3007);
    await canariesStillTalk();
  });

  it('a goodbye is honoured even past the rate limit', async () => {
    const closed = await wsTalk('/ws', (ws) => {
      ws.send(hello('hostile', 'hasty'));
      // 200 moves at once: the burst (120) passes, the rest is dropped, not yet a flood…
      for (let i = 0; i < 200; i++) ws.send(Buffer.from([1, 0, i, 0, 1]));
      // …and the bye that comes over the limit still ends the visit at once.
      ws.send(JSON.stringify({ t: 'bye' }));
    });
    expect(closed).toMatchObject({ code: CloseCode.Normal, reason: 'bye' });
    await canariesStillTalk();
  });

  it('a rename flood is closed with "slow down" (retryable), not by a broadcast storm', async () => {
    const closed = await wsTalk('/ws', (ws) => {
      ws.send(hello('hostile', 'renamer'));
      for (let i = 0; i < 200; i++) ws.send(JSON.stringify({ t: 'name', name: `r${i}` }));
    });
    expect(closed.code).toBe(CloseCode.SlowDown);
    await canariesStillTalk();
  });
});

/** An xhr-streaming SockJS session, open until the returned request is destroyed. */
async function openStreaming(sid: string) {
  const owner = request(`${server.url}/sockjs/000/${sid}/xhr_streaming`, { method: 'POST' });
  const opened = new Promise<void>((resolve) =>
    owner.on('response', (res) => res.once('data', () => resolve())),
  );
  owner.on('error', () => {});
  owner.end();
  await opened;
  return owner;
}

function post(path: string, type: string, body: string, localAddress?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { method: 'POST', localAddress, headers: { 'content-type': type } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('side doors', () => {
  function get(path: string, headers: Record<string, string> = {}, localAddress?: string) {
    return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request(`${server.url}${path}`, { headers, localAddress }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves no iframe page (its transports would carry our own Origin for any site)', async () => {
    for (const path of [
      '/sockjs/iframe.html',
      '/sockjs/iframe-1.6.1.html',
      '/sockjs/iframe.html/',
    ]) {
      expect((await get(path)).status).toBe(404);
    }
  });

  it('refuses a cross-site browser request that carries no Origin (script tag, frame)', async () => {
    const jsonp = '/sockjs/000/crosssite/jsonp?c=cb';
    expect((await get(jsonp, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(
      (await get('/sockjs/000/crosssite/htmlfile?c=cb', { 'sec-fetch-site': 'same-site' })).status,
    ).toBe(403);
  });

  it('a SockJS session URL works only from the address that opened it', async () => {
    // The owner opens an xhr-streaming session from 127.0.0.1 and keeps it open.
    const sid = `stolen${Date.now()}`;
    const owner = await openStreaming(sid);
    const body = JSON.stringify([hello('hostile', 'owner')]);
    // Someone who learned the URL, from another address, cannot send as that user.
    expect(await post(`/sockjs/000/${sid}/xhr_send`, 'text/plain', body, '127.0.0.2')).toBe(403);
    expect(await post(`/sockjs/000/${sid}/xhr_send`, 'text/plain', body, '127.0.0.1')).toBe(204);
    owner.destroy();
  });

  it.each([
    ['xhr_send', 'text/plain', '{"__proto__":[],"length":1000000000}'],
    ['jsonp_send', 'text/plain', '{"__proto__":[],"length":1000000000}'],
    ['jsonp_send', 'application/x-www-form-urlencoded', 'd={"__proto__":[],"length":1000000000}'],
  ])(
    'an array-like %s body (%s) is refused, not looped over a billion times',
    async (path, type, body) => {
      const sid = `arraylike${Date.now()}${Math.random().toString(36).slice(2)}`;
      const owner = await openStreaming(sid);
      const started = performance.now();
      const status = await post(`/sockjs/000/${sid}/${path}`, type, body);
      expect(status).toBe(500); // sockjs's own "Payload expected."
      expect(performance.now() - started).toBeLessThan(1000);
      owner.destroy();
      await canariesStillTalk();
    },
  );

  it('page, iframe and transports send hardening headers', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain('frame-ancestors');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    const info = await get('/sockjs/info');
    expect(info.headers['x-content-type-options']).toBe('nosniff');
    expect(info.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });

  it('/metrics is not public in production: only with the token', async () => {
    expect((await get('/metrics')).status).toBe(404);
    expect((await get('/metrics', { authorization: 'Bearer wrong-token-of-16+' })).status).toBe(
      404,
    );
    const ok = await get('/metrics', { authorization: 'Bearer a-metrics-token-of-16+' });
    expect(ok.status).toBe(200);
  });
});
