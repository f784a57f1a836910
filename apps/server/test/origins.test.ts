import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from './helpers.ts';

/**
 * Cross-site WebSocket hijacking: every way into a session must check Origin — the ws upgrade
 * and every SockJS endpoint (info, the iframe, each HTTP transport, its WebSocket) and the
 * goodbye beacon. sockjs 0.3.24 itself would echo any Origin back with credentials allowed.
 */
const ALLOWED = 'https://cursors.example';
let running: Running;
beforeAll(async () => {
  running = await startServer({ allowedOrigins: [ALLOWED] });
});
afterAll(() => running.server.close());

const session = '/sockjs/000/originsession';
const httpEndpoints: [string, string][] = [
  ['GET', '/sockjs'],
  ['GET', '/sockjs/info'],
  ['OPTIONS', '/sockjs/info'],
  ['GET', '/sockjs/iframe.html'],
  ['POST', `${session}/xhr`],
  ['OPTIONS', `${session}/xhr`],
  ['POST', `${session}/xhr_send`],
  ['POST', `${session}/xhr_streaming`],
  ['GET', `${session}/eventsource`],
  ['GET', `${session}/htmlfile?c=cb`],
  ['GET', `${session}/jsonp?c=cb`],
  ['POST', `${session}/jsonp_send`],
  ['POST', '/leave'],
];
const upgradePaths = ['/ws', '/sockjs/websocket', `${session}/websocket`];

function httpStatus(method: string, path: string, origin?: string) {
  return new Promise<{ status: number; acao: unknown }>((resolve, reject) => {
    const req = request(
      `${running.url}${path}`,
      { method, headers: origin === undefined ? {} : { origin } },
      (res) => {
        res.resume();
        // Streaming transports never end by themselves: the status is all we need.
        resolve({ status: res.statusCode ?? 0, acao: res.headers['access-control-allow-origin'] });
        req.destroy();
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '[]' : undefined);
  });
}

function upgradeStatus(path: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const port = Number(new URL(running.url).port);
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
          (origin === undefined ? '' : `Origin: ${origin}\r\n`) +
          '\r\n',
      );
    });
    socket.once('data', (d) => {
      resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(d.toString())?.[1] ?? 0));
      socket.destroy();
    });
    socket.on('error', () => resolve(0));
  });
}

const bad = [
  ['a foreign origin', 'https://evil.example'],
  ['the null origin', 'null'],
  ['a look-alike (suffix)', 'https://cursors.example.evil.example'],
  ['a look-alike (prefix)', 'https://evil-cursors.example'],
  ['the allowed host on another scheme', 'http://cursors.example'],
  ['the allowed host on another port', 'https://cursors.example:8443'],
] as const;

describe.each(bad)('%s', (_name, origin) => {
  it.each(httpEndpoints)('is refused on %s %s with 403 and no CORS grant', async (method, path) => {
    const { status, acao } = await httpStatus(method, path, origin);
    expect(status).toBe(403);
    expect(acao).toBeUndefined();
  });
  it.each(upgradePaths)('is refused on the upgrade of %s with 403', async (path) => {
    expect(await upgradeStatus(path, origin)).toBe(403);
  });
});

describe('an allowed origin, and a missing one (not a browser)', () => {
  it.each([ALLOWED, undefined])('passes the origin check (%s)', async (origin) => {
    const info = await httpStatus('GET', '/sockjs/info', origin);
    expect(info.status).toBe(200);
    if (origin) expect(info.acao).toBe(origin);
    for (const path of upgradePaths) expect(await upgradeStatus(path, origin)).toBe(101);
  });
});
