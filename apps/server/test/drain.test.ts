import { PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from './child-server.ts';
import { rawWs } from './helpers.ts';

/** SIGTERM on the real main.ts in its own process: the order a load balancer can follow. */
let child: ChildServer | undefined;
afterEach(async () => {
  await child?.stop('SIGKILL');
  child = undefined;
});

async function hello(url: string) {
  const conn = await rawWs(url);
  conn.ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'drain', name: 'n' }));
  return conn;
}

describe('graceful drain on SIGTERM', () => {
  it('fails /readyz at once, keeps serving for DRAIN_MS, then closes clients with 1001 and exits', async () => {
    child = await startChildServer({ DRAIN_MS: '1500' });
    const { url } = child;
    const early = await hello(url);
    let closedAt = 0;
    void early.closed.then(() => {
      closedAt = Date.now();
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    process.kill(child.pid, 'SIGTERM');
    const termAt = Date.now();
    // /readyz fails at once...
    let readyz = 200;
    for (let i = 0; i < 50 && readyz === 200; i++) {
      readyz = (await fetch(`${url}/readyz`)).status;
      if (readyz === 200) await new Promise((r) => setTimeout(r, 10));
    }
    expect(readyz).toBe(503);
    expect(Date.now() - termAt).toBeLessThan(500);
    // ...while the page, /healthz and new connections still work.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const late = await hello(url);
    await new Promise((r) => setTimeout(r, 500));
    expect(closedAt).toBe(0);

    // Then everyone gets 1001, and the process exits.
    expect(await early.closed).toMatchObject({ code: 1001 });
    expect(await late.closed).toMatchObject({ code: 1001 });
    const drained = closedAt - termAt;
    expect(drained).toBeGreaterThanOrEqual(1400);
    expect(drained).toBeLessThan(3000);
    const deadline = Date.now() + 5000;
    while (child.alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(child.alive()).toBe(false);
  }, 20_000);
});
