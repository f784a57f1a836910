import { connectSplit, type SplitPopulation } from './crowd.ts';
import { type Holder, type RateSplit, sampleFreshness } from './freshness.ts';
import { MoveDriver } from './move-driver.ts';
import { CpuMeter, processMemory } from './proc.ts';
import { fmtKib } from './report.ts';
import type { Random } from './rng.ts';
import { peakOf, readSendQueueBytes } from './server-metrics.ts';
import { startServer } from './server-process.ts';
import { Histogram } from './stats.ts';
import { type Sender, World } from './world.ts';

export interface StalledScenario {
  key: string;
  group: 'stalled';
  /** What is special about this run, e.g. "server heartbeat off". */
  label: string;
  /** Extra server environment. */
  env: Record<string, string>;
  /** Users in the one busy room, stalled ones included. */
  users: number;
  stalled: number;
  rate: number;
  observers: number;
  warmupS: number;
  /** Watched before the stall, as the yardstick for memory and freshness. */
  baselineS: number;
  /** Longest the stall may last; it ends earlier once every stalled client is gone. */
  maxStallS: number;
  /** How long to keep watching memory after the last stalled client is gone. */
  afterS: number;
}

export interface StalledResult {
  kind: 'stalled';
  scenario: StalledScenario;
  stallSeconds: number;
  /**
   * What the server holds in its send queues for all connections (`cursorline_send_queue_bytes`
   * from its /metrics), once a second before the stall and from the moment the clients stalled,
   * in bytes; NaN for a scrape that failed. This, not RSS, is what "memory stays bounded" is
   * judged on (targets.ts): it is what backpressure bounds.
   */
  baselineSendQueueBytes: number[];
  sendQueueBytes: number[];
  /** Highest of those before the stall and during it, over the samples that were read. */
  baselineSendQueuePeakBytes: number;
  sendQueuePeakBytes: number;
  /** Server RSS once a second before the stall (MiB). */
  baselineRssMiB: number[];
  /** Server RSS once a second from the moment the clients stalled (MiB). */
  rssMiB: number[];
  /**
   * Highest RSS before the stall and during it. Shown, not judged: garbage collection makes RSS a
   * sawtooth of ±20 MiB here, so two peaks differ by whenever the last collection happened to run.
   */
  baselineMaxMiB: number;
  rssMaxMiB: number;
  /**
   * Lowest RSS (right after a collection) over the baseline, and over the first and the last 10 s
   * of the stall. Shown, not judged either: the floors creep up in this process with nobody
   * stalled (the baseline's alone went 122 → 127 MiB in 15 s, as V8's old generation grows
   * between full collections), so over a stall of 16–60 s their difference measured the heap's
   * growth policy more than the stalled clients (+20.6, then +26.2 MiB for the same code).
   */
  baselineFloorMiB: number;
  floorFirstMiB: number;
  floorLastMiB: number;
  serverPeakRssMiB: number;
  /** Stalled clients the others saw leave, and when (seconds after the stall began). */
  disconnected: number;
  disconnectAfterS: number[];
  /** How the others learned they were gone: `leave` (kicked), `offline` (dropped), or not at all. */
  removedHow: Record<string, number>;
  /** Close codes the stalled clients themselves saw, once they read again. */
  stalledCloseCodes: Record<string, number>;
  /** Connections that were not stalled but closed anyway (should be none). */
  othersDropped: number;
  /** What the healthy observers saw before and during the stall. */
  baselineFreshnessMs: StalledFreshness;
  latencyMs: { p50: number; p99: number };
  freshnessMs: StalledFreshness;
  serverCpuPct: number;
  /** The generator process, then its two threads (observers, crowd), as in LoadResult. */
  generatorCpuPct: number;
  generatorObserversCpuPct: number;
  generatorCrowdCpuPct: number;
  otherCpuPct: number;
  /** When measured more than once because other processes disturbed it: their CPU each time. */
  otherCpuByAttempt?: number[];
}

/**
 * Freshness over one phase (before the stall, or during it), split the way the crowd scenarios
 * split it (freshness.ts). Since protocol v3 a room where more than INTEREST_K move sends each
 * recipient K cursors at full rate and the rest about once a second by design, so the figure over
 * all cursors is ~1 s at p99 there and says nothing about the stalled clients: the 100 ms target is
 * about the full-rate cursors, and the rest's maximum says whether the low rate kept up.
 */
export interface StalledFreshness {
  /** Over every cursor. */
  p50: number;
  p99: number;
  samples: number;
  fullRate: { p50: number; p99: number; samples: number };
  /** `max` is the longest a low-rate cursor went without a refresh (NaN when there was none). */
  rest: { p99: number; max: number; samples: number };
}

/** The histograms behind one StalledFreshness. */
class FreshnessPhase {
  readonly all = new Histogram();
  readonly split: RateSplit = { full: new Histogram(), rest: new Histogram() };

  sample(observers: readonly Holder[], rooms: ReadonlyMap<string, readonly Sender[]>): void {
    sampleFreshness(observers, rooms, performance.now(), this.all, undefined, this.split);
  }

  summary(): StalledFreshness {
    const { all, split } = this;
    return {
      p50: all.percentile(50),
      p99: all.percentile(99),
      samples: all.count,
      fullRate: {
        p50: split.full.percentile(50),
        p99: split.full.percentile(99),
        samples: split.full.count,
      },
      rest: {
        p99: split.rest.percentile(99),
        max: split.rest.count > 0 ? split.rest.max : Number.NaN,
        samples: split.rest.count,
      },
    };
  }
}

/** Seconds of RSS samples a floor is taken over: longer than one garbage-collection cycle here (~7 s). */
export const FLOOR_WINDOW_S = 10;

/**
 * The RSS floor of the stall proper: the lowest of the last FLOOR_WINDOW_S once-a-second samples
 * taken while the stalled clients were still connected (`stalledSamples` of them; all of `rss`
 * when some never went). The samples after the last one went, taken while the bench watches the
 * memory come back, show the server without them: a floor there would hide what they cost.
 */
export function stallFloor(rss: readonly number[], stalledSamples = rss.length): number {
  const end = Math.min(stalledSamples, rss.length);
  const window = rss.slice(Math.max(0, end - FLOOR_WINDOW_S), end);
  return window.length > 0 ? Math.min(...window) : Number.NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RESUME_WAIT_MS = 3000;

/**
 * A busy room where a few clients stop reading (a frozen tab, a dead network that has not timed
 * out yet). The server must not queue for them without limit: it skips them past a soft limit
 * and disconnects them (1013) after MAX_BEHIND_MS or past a hard limit, while everyone else
 * keeps getting fresh positions.
 *
 * The stalled clients keep sending moves, as a tab that still runs but cannot take in data would.
 */
export async function runStalledScenario(
  scenario: StalledScenario,
  random: Random,
  progress: (line: string) => void,
): Promise<StalledResult> {
  // METRICS_PUBLIC: the send-queue gauge is read from /metrics, which a server started with
  // NODE_ENV=production in the environment would otherwise answer only with a token.
  const server = await startServer({ FANOUT: 'tick', METRICS_PUBLIC: 'on', ...scenario.env });
  const world = new World(scenario.users);
  // The last users in the room stall; observers are picked among the others.
  const stalledIndexes = new Set<number>();
  for (let i = scenario.users - scenario.stalled; i < scenario.users; i++) stalledIndexes.add(i);
  let driver: MoveDriver | undefined;
  let population: SplitPopulation | undefined;
  try {
    population = await connectSplit(
      {
        urls: [server.url],
        users: scenario.users,
        roomSize: scenario.users,
        transport: 'ws',
        observers: scenario.observers,
        moving: true,
        notObservers: stalledIndexes,
      },
      world,
      random,
      scenario.rate,
    );
    const { everyone: users, crowd } = population;
    progress(`${users.length} users connected in ${population.connectSeconds.toFixed(1)} s`);
    // Never observers, so they are all in the crowd's worker.
    const stalled = crowd.members.filter((u) => stalledIndexes.has(u.index));
    driver = new MoveDriver(population.observers, scenario.rate, random, () => {
      world.traffic.movesSent++;
    });
    driver.start();
    crowd.startMoves();
    await sleep(scenario.warmupS * 1000);

    const baselineFreshness = new FreshnessPhase();
    const baselineRss: number[] = [];
    const baselineQueue: number[] = [];
    const baselineEnd = performance.now() + scenario.baselineS * 1000;
    for (let tick = 1; performance.now() < baselineEnd; tick++) {
      await sleep(100);
      baselineFreshness.sample(population.observers, population.rooms);
      if (tick % 10 === 0) {
        baselineRss.push(processMemory(server.pid).rssMiB);
        baselineQueue.push(await readSendQueueBytes(server.url));
      }
    }

    world.latency.reset();
    const freshness = new FreshnessPhase();
    const cpu = new CpuMeter([server.pid], [process.pid, crowd.threadId]);
    cpu.start();
    const stallStart = performance.now();
    crowd.stall(stalled);
    progress(
      `${stalled.length} clients stopped reading; server RSS before: ${baselineRss.map((v) => v.toFixed(0)).join(' ')} MiB, send queues up to ${fmtKib(peakOf(baselineQueue))} KiB`,
    );
    const rss: number[] = [];
    const queue: number[] = [];
    let lastGoneAt: number | undefined;
    // RSS samples taken before the second in which the last stalled client was seen gone.
    let stalledSamples: number | undefined;
    let goneBefore = 0;
    let nextSecond = stallStart + 1000;
    const deadline = stallStart + scenario.maxStallS * 1000;
    while (performance.now() < deadline) {
      await sleep(100);
      freshness.sample(population.observers, population.rooms);
      const now = performance.now();
      if (now >= nextSecond) {
        nextSecond += 1000;
        rss.push(processMemory(server.pid).rssMiB);
        queue.push(await readSendQueueBytes(server.url));
        const gone = stalled.filter((u) => u.gone).length;
        if (gone === stalled.length && lastGoneAt === undefined) {
          lastGoneAt = now;
          stalledSamples = rss.length - 1;
        }
        if (rss.length % 5 === 0 || gone !== goneBefore)
          progress(
            `stall +${Math.round((now - stallStart) / 1000)} s: server RSS ${rss.at(-1)?.toFixed(0)} MiB, send queues ${fmtKib(queue.at(-1) ?? Number.NaN)} KiB, ${gone}/${stalled.length} stalled clients gone`,
          );
        goneBefore = gone;
        if (lastGoneAt !== undefined && now - lastGoneAt >= scenario.afterS * 1000) break;
      }
      if (server.exited()) throw new Error(`server exited:\n${server.output()}`);
      const crash = crowd.crashed();
      if (crash) throw new Error(`during the stall, ${crash}`);
    }
    const used = cpu.read();
    const stallSeconds = (performance.now() - stallStart) / 1000;
    const disconnectAfterS = stalled
      .filter((u) => u.gone)
      .map((u) => (u.goneAt - stallStart) / 1000)
      .sort((a, b) => a - b);
    const removedHow: Record<string, number> = {};
    for (const user of stalled) {
      const how = user.goneHow ?? 'still there';
      removedHow[how] = (removedHow[how] ?? 0) + 1;
    }
    const othersDropped = users.filter((u) => !stalledIndexes.has(u.index) && u.closed).length;

    // Let the stalled clients read again: whatever the server managed to send, the close frame
    // included, reaches them now.
    driver.stop();
    crowd.stopMoves();
    crowd.resume(stalled);
    const resumeDeadline = performance.now() + RESUME_WAIT_MS;
    while (performance.now() < resumeDeadline && stalled.some((u) => u.gone && !u.closed))
      await sleep(100);
    const stalledCloseCodes: Record<string, number> = {};
    for (const user of stalled) {
      const code = user.closed ? String(user.closed.code) : 'still open';
      stalledCloseCodes[code] = (stalledCloseCodes[code] ?? 0) + 1;
    }

    return {
      kind: 'stalled',
      scenario,
      stallSeconds,
      baselineSendQueueBytes: baselineQueue,
      sendQueueBytes: queue,
      baselineSendQueuePeakBytes: peakOf(baselineQueue),
      sendQueuePeakBytes: peakOf(queue),
      baselineRssMiB: baselineRss,
      rssMiB: rss,
      baselineMaxMiB: Math.max(...baselineRss),
      rssMaxMiB: Math.max(...rss),
      baselineFloorMiB: Math.min(...baselineRss),
      floorFirstMiB: Math.min(...rss.slice(0, FLOOR_WINDOW_S)),
      floorLastMiB: stallFloor(rss, stalledSamples),
      serverPeakRssMiB: processMemory(server.pid).peakMiB,
      disconnected: disconnectAfterS.length,
      disconnectAfterS,
      removedHow,
      stalledCloseCodes,
      othersDropped,
      baselineFreshnessMs: baselineFreshness.summary(),
      latencyMs: { p50: world.latency.percentile(50), p99: world.latency.percentile(99) },
      freshnessMs: freshness.summary(),
      serverCpuPct: used.serverPct,
      generatorCpuPct: used.generatorPct,
      generatorObserversCpuPct: used.threadPct[0] ?? Number.NaN,
      generatorCrowdCpuPct: used.threadPct[1] ?? Number.NaN,
      otherCpuPct: used.otherPct,
    };
  } finally {
    driver?.stop();
    for (const user of population?.observers ?? []) user.terminate();
    await population?.crowd.stop();
    await server.stop();
  }
}
