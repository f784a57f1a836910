import type { Page } from '@playwright/test';
import { type Node, startNode } from '../../stack/nodes.ts';
import { freePort, type Proc } from '../../stack/processes.ts';
import { startDeployHaproxy, startDeployNginx } from '../../stack/proxies.ts';
import { moveOnBoard, openUser, presenceNames, uniqueRoom } from '../users.ts';
import { expect, test } from './stack.ts';
import { recordTimings, statusLog } from './timing.ts';

/**
 * Nodes that go away, behind HAProxy and nginx from deploy/. These tests start nodes (and an
 * HAProxy) of their own, so killing one never touches what other tests use; only the Redis of
 * the worker's stack is shared.
 */
const procs: Proc[] = [];
test.afterEach(async () => {
  for (const proc of procs.splice(0).reverse()) await proc.stop('SIGKILL');
});

async function ownNode(redisUrl: string): Promise<Node> {
  const node = await startNode(redisUrl);
  procs.push(node.proc);
  return node;
}

const usersOn = async (node: Node): Promise<number> =>
  (await (await fetch(`${node.url}/healthz`)).json()).users;

for (const proxyName of ['haproxy', 'nginx'] as const) {
  test(`SIGTERM behind ${proxyName}: its users are back on the other node within 3 s, no 503`, async ({
    browser,
    stack,
  }) => {
    test.setTimeout(120_000);
    const nodes = [await ownNode(stack.redisUrl), await ownNode(stack.redisUrl)];
    const start = proxyName === 'haproxy' ? startDeployHaproxy : startDeployNginx;
    const haproxy = await start(nodes.map((n) => `127.0.0.1:${n.port}`));
    procs.push(haproxy.proc);
    const room = uniqueRoom('drain');
    const links = ['', '', 'sockjs=xhr-streaming', 'sockjs=xhr-polling'];
    const pages: Page[] = [];
    for (const [i, query] of links.entries()) {
      pages.push(
        await openUser(browser, haproxy.url, {
          room,
          name: `U${i + 1}`,
          query,
          beforeLoad: recordTimings,
        }),
      );
    }
    for (const page of pages)
      await expect.poll(async () => (await presenceNames(page)).length).toBe(4);
    const counts = await Promise.all(nodes.map(usersOn));
    // The node with more of them drains (there is always one: four users, two nodes).
    const victim = (counts[0] ?? 0) >= (counts[1] ?? 0) ? 0 : 1;
    const [draining, survivor] = [nodes[victim] as Node, nodes[1 - victim] as Node];
    const moved = counts[victim] ?? 0;
    expect(moved).toBeGreaterThan(0);

    // New page loads through HAProxy all along: none may fail.
    let loading = true;
    const statuses: number[] = [];
    const loads = (async () => {
      for (let i = 0; i < 200 && loading; i++) {
        const res = await fetch(`${haproxy.url}/?room=${room}`);
        await res.arrayBuffer();
        statuses.push(res.status);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const termAt = Date.now();
    process.kill(draining.proc.pid, 'SIGTERM');
    const exitDeadline = Date.now() + 15_000;
    while (draining.proc.alive() && Date.now() < exitDeadline)
      await new Promise((r) => setTimeout(r, 50));
    const drainMs = Date.now() - termAt;
    expect(draining.proc.alive()).toBe(false);

    // Everyone is on the survivor; those who moved were away for less than 3 s.
    await expect.poll(() => usersOn(survivor), { timeout: 5000 }).toBe(4);
    const gaps: number[] = [];
    for (const page of pages) {
      await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'open');
      const log = await statusLog(page);
      const drop = log.findIndex((s) => s.wall >= termAt && s.state !== 'open');
      if (drop < 0) continue;
      const back = log.slice(drop).find((s) => s.state === 'open');
      gaps.push((back?.wall ?? Number.POSITIVE_INFINITY) - (log[drop]?.wall ?? 0));
    }
    loading = false;
    await loads;
    console.log(
      `SIGTERM behind ${proxyName}: drain took ${drainMs} ms; ${gaps.length} users moved, away for ${JSON.stringify(gaps)} ms; ` +
        `${statuses.length} page loads, statuses ${[...new Set(statuses)].join(',')}`,
    );
    expect(gaps.length).toBe(moved);
    for (const gap of gaps) expect(gap).toBeLessThan(3000);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const page of pages)
      await expect.poll(async () => (await presenceNames(page)).length).toBe(4);
  });
}

test('SIGKILL: its users show offline to the others within the liveness check, gone within 15 s', async ({
  browser,
  stack,
}) => {
  test.setTimeout(60_000);
  const [doomed, alive] = [await ownNode(stack.redisUrl), await ownNode(stack.redisUrl)];
  const room = uniqueRoom('kill');
  await openUser(browser, doomed.url, { room, name: 'Gone', query: 'transport=ws' });
  await openUser(browser, doomed.url, { room, name: 'Poll', query: 'sockjs=xhr-polling' });
  const watcher = await openUser(browser, alive.url, { room, name: 'Watcher' });
  await expect
    .poll(async () => (await presenceNames(watcher)).sort())
    .toEqual(['Gone', 'Poll', 'Watcher']);
  const item = (name: string) =>
    watcher.locator(`[data-testid="presence-item"][data-name="${name}"]`);

  await doomed.proc.stop('SIGKILL');
  const killedAt = Date.now();
  for (const name of ['Gone', 'Poll']) {
    await expect(item(name)).toHaveAttribute('data-state', 'offline', { timeout: 8000 });
  }
  const offlineMs = Date.now() - killedAt;
  await expect
    .poll(() => presenceNames(watcher), { timeout: 15_000, intervals: [100] })
    .toEqual(['Watcher']);
  const goneMs = Date.now() - killedAt;
  console.log(`SIGKILL: offline for others after ${offlineMs} ms, gone after ${goneMs} ms`);
  // Liveness: a key with a 4 s TTL refreshed every second, checked every second (≤ 5 s), plus
  // this test's polling.
  expect(offlineMs).toBeLessThan(7000);
  expect(goneMs).toBeLessThan(15_000);
});

test('a node coming back behind HAProxy does not break live SockJS sessions', async ({
  browser,
  stack,
}) => {
  test.setTimeout(120_000);
  // Node A is down at first (its port reserved), so every session starts on node B.
  const aPort = await freePort();
  const b = await ownNode(stack.redisUrl);
  const haproxy = await startDeployHaproxy([`127.0.0.1:${aPort}`, `127.0.0.1:${b.port}`]);
  procs.push(haproxy.proc);
  // Two failed checks 1 s apart take A out of rotation.
  await new Promise((r) => setTimeout(r, 3000));
  const room = uniqueRoom('comeback');
  const watcher = await openUser(browser, b.url, { room, name: 'Watcher', query: 'transport=ws' });
  // Six sessions: were they hashed, about half would now belong to A (all six stay on B by luck
  // once in 64).
  const links = ['polling', 'streaming', 'polling', 'streaming', 'polling', 'streaming'].map(
    (t) => `sockjs=xhr-${t}`,
  );
  const pages: Page[] = [];
  for (const [i, query] of links.entries()) {
    pages.push(
      await openUser(browser, haproxy.url, {
        room,
        name: `S${i + 1}`,
        query,
        beforeLoad: recordTimings,
      }),
    );
  }
  await expect.poll(async () => (await presenceNames(watcher)).length).toBe(7);
  expect(await usersOn(b)).toBe(7);
  const idsBefore = await watcher
    .getByTestId('presence-item')
    .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.userId).sort());

  const a = await startNode(stack.redisUrl, {}, aPort);
  procs.push(a.proc);
  const backAt = Date.now();
  // Keep every session busy (each move is an xhr_send) while HAProxy brings A back (rise 2).
  for (let round = 0; round < 12; round++) {
    for (const [i, page] of pages.entries())
      await moveOnBoard(page, 0.1 + 0.05 * round, 0.2 + 0.1 * i);
    await new Promise((r) => setTimeout(r, 250));
  }
  // A is in rotation again: a new session goes there (leastconn), so the old ones could have.
  const late = await openUser(browser, haproxy.url, {
    room,
    name: 'Late',
    query: 'sockjs=xhr-polling',
  });
  await expect.poll(() => usersOn(a)).toBe(1);

  for (const page of pages) {
    const log = await statusLog(page);
    expect(log.filter((s) => s.wall >= backAt && s.state !== 'open')).toEqual([]);
  }
  const idsAfter = await watcher
    .getByTestId('presence-item')
    .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.userId).sort());
  expect(idsAfter.filter((id) => idsBefore.includes(id))).toEqual(idsBefore);
  expect(idsAfter).toHaveLength(8);
  await late.close();
});
