import { CloseCode, encodeMoveBinary, PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, type Running, rawWs, serverWithTwo, type TestUser, waitFor } from '../helpers.ts';

let running: Running;
let a: TestUser;
let b: TestUser;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ running, a, b, close } = await serverWithTwo('flood'));
});
afterAll(() => close());

describe('a client sending 10,000 messages a second', () => {
  it('is throttled, then closed with 4005 "slow down"; nothing it sends after that reaches anyone', async () => {
    const { ws, closed } = await rawWs(running.url);
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'flood', name: 'flooder' }));
    await waitFor(() => a.client.users.size === 2, 'the flooder to join');
    const flooderId = [...a.client.users.keys()].find((id) => id !== idOf(b)) ?? 0;

    let sent = 0;
    let closedAt = 0;
    void closed.then(() => {
      closedAt = sent;
    });
    const started = Date.now();
    // 10 messages per millisecond, for at most 3 s or until the server closes us.
    while (ws.readyState === ws.OPEN && Date.now() - started < 3000) {
      for (let i = 0; i < 10; i++) ws.send(encodeMoveBinary({ x: sent++ % 1600, y: 500 }));
      await new Promise((r) => setTimeout(r, 1));
    }
    const result = await closed;
    expect(result).toEqual({ code: CloseCode.SlowDown, reason: 'rate limit exceeded; slow down' });
    expect(closedAt).toBeGreaterThan(0);

    // It was closed quickly, after a burst's worth. "Slow down" is retryable, so its seat waits
    // for a resume like any drop: the others see it offline at once (and its cursor stops).
    expect(closedAt).toBeLessThan(2000);
    await waitFor(() => a.client.users.get(flooderId)?.state === 'offline', 'the flooder offline');
    const lastSeen = a.seen.get(flooderId);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.seen.get(flooderId)).toEqual(lastSeen);

    // And the canaries still talk.
    a.client.move({ x: 42, y: 42 });
    await waitFor(() => b.seen.get(idOf(a))?.x === 42, 'B to see A');
  });

  it('a client slightly over the limit is only throttled, never closed', async () => {
    const { ws, closed } = await rawWs(running.url);
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'flood', name: 'eager' }));
    let open = true;
    void closed.then(() => {
      open = false;
    });
    // 100 messages a second (the limit is 60) for 2 s.
    for (let i = 0; i < 200 && open; i++) {
      ws.send(encodeMoveBinary({ x: i, y: 1 }));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(open).toBe(true);
    ws.close(1000);
  });
});
