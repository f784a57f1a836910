import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { configFromEnv, defaultConfig } from '../src/config.ts';
import { type Running, startServer } from './helpers.ts';

let running: Running;
beforeAll(async () => {
  running = await startServer({ allowedOrigins: ['https://cursors.example'] });
});
afterAll(() => running.server.close());

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(`${running.url}${path}`, { headers }, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('http endpoints', () => {
  it('reports health', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok', rooms: 0, users: 0 });
  });

  it('serves the SockJS info endpoint', async () => {
    const res = await get('/sockjs/info');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ websocket: true });
  });
});

describe('configuration from the environment', () => {
  it('reads every documented variable', () => {
    const config = configFromEnv({
      PORT: '9000',
      HOST: '127.0.0.1',
      TRANSPORTS: 'sockjs',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      TICK_MS: '20',
      HELLO_TIMEOUT_MS: '5000',
      MAX_MESSAGE_BYTES: '2048',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      transports: ['sockjs'],
      allowedOrigins: ['https://a.example', 'https://b.example'],
      tickMs: 20,
      helloTimeoutMs: 5000,
      maxMessageBytes: 2048,
      logLevel: 'warn',
    });
    expect(configFromEnv({})).toEqual(defaultConfig);
  });

  it('refuses bad values with a clear message', () => {
    expect(() => configFromEnv({ TRANSPORTS: 'ws,carrier-pigeon' })).toThrow(/TRANSPORTS/);
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});

describe('switching transports off', () => {
  it('serves only the transports configured', async () => {
    const wsOnly = await startServer({ transports: ['ws'] });
    try {
      const res = await fetch(`${wsOnly.url}/sockjs/info`);
      expect(res.status).toBe(404);
    } finally {
      await wsOnly.server.close();
    }
    const sockjsOnly = await startServer({ transports: ['sockjs'] });
    try {
      const status = await new Promise((resolve) => {
        const ws = new WebSocket(`${sockjsOnly.url.replace('http', 'ws')}/ws`);
        ws.on('open', () => resolve('open'));
        ws.on('error', () => resolve('refused'));
      });
      expect(status).toBe('refused');
      expect((await fetch(`${sockjsOnly.url}/sockjs/info`)).status).toBe(200);
    } finally {
      await sockjsOnly.server.close();
    }
  });
});
