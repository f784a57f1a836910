import { CloseCode } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { idOf, joinRoom, type Running, startServer, type TestUser, waitFor } from './helpers.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const fast = { baseMs: 20, capMs: 50 };
let running: Running;
let proxy: TcpProxy;
const users: TestUser[] = [];

async function setUp(resumeGraceMs: number, transport: 'ws' | 'sockjs' = 'ws') {
  running = await startServer({ resumeGraceMs });
  proxy = await startTcpProxy(Number(new URL(running.url).port));
  // The traveller goes through the proxy (whose network we break); the watcher connects directly.
  const traveller = await joinRoom(proxy.url, 'trip', 'Traveller', transport, ['websocket'], fast);
  const watcher = await joinRoom(running.url, 'trip', 'Watcher', 'ws');
  users.push(traveller, watcher);
  await waitFor(
    () => watcher.client.users.has(idOf(traveller)),
    'the watcher to see the traveller',
  );
  const states: string[] = [];
  watcher.client.on('update', (user, change) => {
    if (change === 'state' && user.id === idOf(traveller) && 'state' in user)
      states.push(user.state);
  });
  return { traveller, watcher, states };
}

afterEach(async () => {
  for (const u of users.splice(0)) u.client.close();
  await proxy.close();
  await running.server.close();
});

describe.each(['ws', 'sockjs'] as const)(
  'resuming after a dropped connection (%s)',
  (transport) => {
    it('within the grace window: same id, color and name; others see offline, then active, never a leave', async () => {
      const { traveller, watcher, states } = await setUp(5000, transport);
      const before = { ...traveller.client.self };
      traveller.client.move({ x: 300, y: 300 });
      await waitFor(() => watcher.seen.get(idOf(traveller))?.x === 300, 'a first move');

      // The network stays down for a moment: presence goes out on the tick, latest wins, so a
      // drop shorter than one tick is invisible to the others (as it should be).
      proxy.cut();
      proxy.block(true);
      await waitFor(() => states.includes('offline'), 'the watcher to see the traveller offline');
      expect(watcher.client.users.get(before.id ?? 0)?.at).toEqual({ x: 300, y: 300 }); // cursor kept
      proxy.block(false);
      await waitFor(
        () => traveller.client.status === 'open' && states.at(-1) === 'active',
        'the resume',
      );

      expect(traveller.client.self).toEqual(before);
      expect(watcher.leaves).toEqual([]);
      expect(watcher.joins).toEqual([]);
      traveller.client.move({ x: 310, y: 310 });
      await waitFor(() => watcher.seen.get(idOf(traveller))?.x === 310, 'moves to continue');
    });

    it('beyond the grace window: a leave, then a new user', async () => {
      const { traveller, watcher } = await setUp(300, transport);
      const oldId = idOf(traveller);
      proxy.block(true);
      proxy.cut();
      await waitFor(() => watcher.leaves.includes(oldId), 'a leave after the grace window', 3000);
      proxy.block(false);
      await waitFor(
        () => traveller.client.status === 'open' && watcher.joins.length === 1,
        'a fresh join',
        5000,
      );
      expect(idOf(traveller)).not.toBe(oldId);
    });
  },
);

describe('resume details', () => {
  it('a half-open old connection is retired (4003) and the seat moves, with no leave', async () => {
    const { traveller, watcher } = await setUp(5000);
    const id = idOf(traveller);
    const token = traveller.client.token;
    proxy.cutClientSide(); // the server still believes the old socket is alive
    await waitFor(
      () => traveller.client.status === 'open' && traveller.client.token !== token,
      'resume',
    );
    expect(idOf(traveller)).toBe(id);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toContain(`cursorline_closes_total{code="${CloseCode.Replaced}"} 1`);
    expect(watcher.leaves).toEqual([]);
    expect(running.server.rooms.userCount).toBe(2);
  });

  it('a token works once: after a resume the old one is void', async () => {
    const { traveller } = await setUp(5000);
    const first = traveller.client.token;
    proxy.cut();
    await waitFor(
      () => traveller.client.status === 'open' && traveller.client.token !== first,
      'resume',
    );
    const res = await fetch(`${running.url}/leave`, { method: 'POST', body: first });
    // Not held here: passed on to the other nodes (202), where nobody holds it either.
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 100));
    expect(traveller.client.status).toBe('open');
    expect(running.server.rooms.userCount).toBe(2);
  });

  it('the goodbye beacon removes a user at once, by token', async () => {
    const { traveller, watcher } = await setUp(5000);
    const id = idOf(traveller);
    const res = await fetch(`${running.url}/leave`, {
      method: 'POST',
      body: traveller.client.token,
    });
    expect(res.status).toBe(204);
    await waitFor(() => watcher.leaves.includes(id), 'the leave');
    expect(
      (await fetch(`${running.url}/leave`, { method: 'POST', body: 'not-a-token' })).status,
    ).toBe(404);
    const foreign = await fetch(`${running.url}/leave`, {
      method: 'POST',
      body: 'A'.repeat(22),
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
  });
});
