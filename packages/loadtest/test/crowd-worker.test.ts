import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectSplit } from '../src/crowd.ts';
import { MoveDriver } from '../src/move-driver.ts';
import { seededRandom } from '../src/rng.ts';
import { REPO_ROOT, startServer } from '../src/server-process.ts';
import { World } from '../src/world.ts';

/**
 * The crowd's worker against the real production server: a room of 30 (2 observers here, 28 in
 * the worker). Needs the server's bundle: turbo builds it before this package's tests
 * (turbo.json), and a bare `vitest run` skips this without one (`pnpm --filter
 * @cursorline/server build` first). In CI a missing bundle fails instead of skipping.
 */
const built = existsSync(`${REPO_ROOT}apps/server/dist/main.js`) || process.env.CI === 'true';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!built)('crowd worker (needs apps/server/dist)', () => {
  it('plays the crowd in its own thread; observers measure its moves through shared memory', async () => {
    const server = await startServer({ FANOUT: 'tick' });
    const world = new World(30);
    const spec = {
      urls: [server.url],
      users: 30,
      roomSize: 30,
      transport: 'ws' as const,
      observers: 2,
      moving: true,
    };
    const population = await connectSplit(spec, world, seededRandom(7), 20).catch(
      async (error: unknown) => {
        await server.stop();
        throw error;
      },
    );
    const { observers, crowd } = population;
    const driver = new MoveDriver(observers, 20, seededRandom(8), () => {
      world.traffic.movesSent++;
    });
    try {
      expect(observers).toHaveLength(2);
      expect(crowd.members).toHaveLength(28);
      // Its own Linux thread, so its CPU can be told apart from the observers'.
      expect(crowd.threadId).toBeGreaterThan(0);
      expect(crowd.threadId).not.toBe(process.pid);

      driver.start();
      crowd.startMoves();
      await sleep(1500);

      // The worker's moves went out and its frames were counted, in the shared counters.
      expect(crowd.traffic.movesSent).toBeGreaterThan(28 * 20 * 0.5);
      expect(crowd.traffic.frames).toBeGreaterThan(28 * 10);
      // Every crowd user's send times reached main: observers matched them to what they decoded.
      expect(crowd.members.every((m) => !Number.isNaN(m.firstSentAt))).toBe(true);
      expect(world.latency.count).toBeGreaterThan(100);
      expect(world.unmatched).toBe(0);
      // One time base: off by the threads' clock difference, latencies would be negative or huge.
      expect(world.latency.percentile(50)).toBeGreaterThan(0);
      expect(world.latency.percentile(99)).toBeLessThan(500);
      expect(await crowd.loopDelayP99Ms()).toBeGreaterThan(0);
      expect(crowd.crashed()).toBeUndefined();
    } finally {
      driver.stop();
      for (const user of observers) user.terminate();
      await crowd.stop();
      await server.stop();
    }
    expect(crowd.crashed()).toBeUndefined();
  }, 20_000);
});
