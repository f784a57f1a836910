import { test as base } from '@playwright/test';
import { type Node, startNode, startRedis } from '../../stack/nodes.ts';
import type { Proc } from '../../stack/processes.ts';
import {
  type Hostility,
  type ProxyProc,
  startDeployHaproxy,
  startDeployNginx,
  startHostileProxy,
} from '../../stack/proxies.ts';

/**
 * One deployment per Playwright worker: a real Redis, two production nodes, nginx and HAProxy
 * started from deploy/nginx.conf and deploy/haproxy.cfg, and four hostile proxies in front of the
 * nginx deployment. Tests that kill nodes start nodes of their own (failover.spec.ts).
 */
export interface Stack {
  redisUrl: string;
  nodes: Node[];
  nginx: ProxyProc;
  haproxy: ProxyProc;
  hostile: Record<`${Hostility}-${'buffered' | 'unbuffered'}`, ProxyProc>;
}

export const test = base.extend<{ closeContexts: undefined }, { stack: Stack }>({
  // Each user is a browser context of its own (users.ts); close them after every test, or their
  // polls and streams pile up in this worker's browser and slow every later test.
  closeContexts: [
    async ({ browser }, use) => {
      await use(undefined);
      for (const context of browser.contexts()) await context.close();
    },
    { auto: true },
  ],
  stack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const procs: Proc[] = [];
      try {
        // Each process is recorded as soon as it runs, so a failure further on stops it too.
        const redis = await startRedis();
        procs.push(redis.proc);
        const nodes: Node[] = [];
        for (let i = 0; i < 2; i++) {
          nodes.push(await startNode(redis.url));
          procs.push((nodes.at(-1) as Node).proc);
        }
        const hosts = nodes.map((n) => `127.0.0.1:${n.port}`);
        const nginx = await startDeployNginx(hosts);
        procs.push(nginx.proc);
        const haproxy = await startDeployHaproxy(hosts);
        procs.push(haproxy.proc);
        const hostile = {} as Stack['hostile'];
        for (const hostility of ['refuse-403', 'no-forward'] as const) {
          for (const buffering of [true, false]) {
            const proxy = await startHostileProxy(nginx.url, hostility, buffering);
            procs.push(proxy.proc);
            hostile[`${hostility}-${buffering ? 'buffered' : 'unbuffered'}`] = proxy;
          }
        }
        await use({ redisUrl: redis.url, nodes, nginx, haproxy, hostile });
      } finally {
        for (const proc of procs.reverse()) await proc.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

export { expect } from '@playwright/test';
