import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sampleFreshness } from './freshness.ts';
import { MoveDriver } from './move-driver.ts';
import { connectPopulation } from './population.ts';
import { CpuMeter, processMemory } from './proc.ts';
import { type HotFunction, hotFunctions, profileOf } from './profile.ts';
import type { Random } from './rng.ts';
import { type ServerProcess, startServer } from './server-process.ts';
import type { Transport } from './sim-user.ts';
import { Histogram } from './stats.ts';
import { type Traffic, World } from './world.ts';

/** One measured configuration: N users moving at a rate, in rooms, over one transport. */
export interface LoadScenario {
  /** Stable id used to find results, e.g. "one-room/ws/tick/500". */
  key: string;
  group: string;
  users: number;
  roomSize: number;
  rate: number;
  transport: Transport;
  fanout: 'tick' | 'per-move';
  observers: number;
  warmupS: number;
  measureS: number;
  /** Stop as soon as it has clearly collapsed (the per-move comparison) instead of running on. */
  stopOnCollapse: boolean;
}

export interface LoadResult {
  kind: 'load';
  scenario: LoadScenario;
  rooms: number;
  status: 'ok' | 'collapsed';
  collapseReason?: string;
  connectSeconds: number;
  measuredSeconds: number;
  latencyMs: { p50: number; p99: number; max: number; samples: number; unmatched: number };
  freshnessMs: { p50: number; p99: number; samples: number };
  /** Gap between two batches reaching the same observer (tick fan-out: ideally TICK_MS). */
  batchGapMs: { p50: number; p99: number };
  movesSentPerS: number;
  movesWantedPerS: number;
  deliveredUpdatesPerS: number;
  framesPerS: number;
  receivedMiBPerS: number;
  /** Payload bytes received per cursor update. */
  bytesPerUpdate: number;
  /** The same including WebSocket frame headers. */
  framedBytesPerUpdate: number;
  serverCpuPct: number;
  serverPeakRssMiB: number;
  serverRssEndMiB: number;
  generatorCpuPct: number;
  generatorLoopDelayP99Ms: number;
  /** CPU used by other processes on the machine during the window (% of one core). */
  otherCpuPct: number;
  /** When measured more than once because other processes disturbed it: their CPU each time. */
  otherCpuByAttempt?: number[];
  /** Connections that closed during the run, by close code. */
  drops: Record<string, number>;
  badFrames: number;
  /** Where the server spent its CPU, when run with --profile. */
  serverProfile?: HotFunction[];
}

/** A collapse: the observers' p99 over the last second is above this... */
const COLLAPSE_LATENCY_MS = 1000;
/** ...or the generator has used more than this share of a core for two seconds running. */
export const SATURATED_CPU_PCT = 90;
const FRESHNESS_EVERY_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoadScenario(
  scenario: LoadScenario,
  random: Random,
  progress: (line: string) => void,
  /** Profile the server with node --cpu-prof into this folder. */
  profileDir?: string,
): Promise<LoadResult> {
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = await startServer({ FANOUT: scenario.fanout }, nodeArgs);
  const result = await measure(scenario, random, progress, server);
  if (!profileDir) return result;
  // The profile is written when the server exits, which measure() has waited for.
  const profile = profileOf(profileDir, server.pid);
  return profile ? { ...result, serverProfile: hotFunctions(profile) } : result;
}

async function measure(
  scenario: LoadScenario,
  random: Random,
  progress: (line: string) => void,
  server: ServerProcess,
): Promise<LoadResult> {
  const world = new World(scenario.users);
  let driver: MoveDriver | undefined;
  let population: Awaited<ReturnType<typeof connectPopulation>> | undefined;
  try {
    population = await connectPopulation(
      {
        url: server.url,
        users: scenario.users,
        roomSize: scenario.roomSize,
        transport: scenario.transport,
        observers: scenario.observers,
        moving: true,
      },
      world,
      random,
    );
    const { users, observers, rooms } = population;
    progress(`${users.length} users connected in ${population.connectSeconds.toFixed(1)} s`);

    driver = new MoveDriver(users, scenario.rate, random, () => {
      world.traffic.movesSent++;
    });
    const cpu = new CpuMeter(server.pid);
    const secondCpu = new CpuMeter(server.pid);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const freshness = new Histogram();
    let collapseReason: string | undefined;
    let saturatedSeconds = 0;

    /** Once a second: is it still standing? (Only acted on when stopOnCollapse.) */
    const checkCollapse = (elapsedS: number): string | undefined => {
      if (server.exited()) throw new Error(`the server exited during the run:\n${server.output()}`);
      const { generatorPct } = secondCpu.read();
      secondCpu.start();
      saturatedSeconds = generatorPct > SATURATED_CPU_PCT ? saturatedSeconds + 1 : 0;
      const p99 = world.recentLatency.percentile(99);
      const heard = world.recentLatency.count;
      world.recentLatency.reset();
      if (p99 > COLLAPSE_LATENCY_MS) return `latency p99 ${Math.round(p99)} ms > 1 s`;
      if (elapsedS >= 2 && heard === 0) return 'observers received nothing for 1 s';
      if (saturatedSeconds >= 2) return `generator saturated (${Math.round(generatorPct)}% CPU)`;
      return undefined;
    };

    // Measuring starts with the moves; if the warm-up passes without a collapse, it starts again
    // afterwards, so a result normally covers only the measured window.
    let before: Traffic = { ...world.traffic };
    cpu.start();
    driver.start();
    secondCpu.start();
    for (let s = 1; s <= scenario.warmupS && !collapseReason; s++) {
      await sleep(1000);
      const reason = checkCollapse(s);
      if (scenario.stopOnCollapse) collapseReason = reason;
    }
    if (!collapseReason) {
      before = { ...world.traffic };
      world.latency.reset();
      world.batchGap.reset();
      world.unmatched = 0;
      cpu.start();
      loopDelay.reset();
    }
    const windowStart = performance.now();
    const windowEnd = windowStart + scenario.measureS * 1000;
    let nextSecond = windowStart + 1000;
    while (!collapseReason && performance.now() < windowEnd) {
      await sleep(FRESHNESS_EVERY_MS);
      const now = performance.now();
      sampleFreshness(observers, rooms, now, freshness);
      if (now >= nextSecond) {
        nextSecond += 1000;
        const reason = checkCollapse(scenario.warmupS + (now - windowStart) / 1000);
        if (scenario.stopOnCollapse) collapseReason = reason;
      }
    }

    const used = cpu.read();
    const memory = processMemory(server.pid);
    const seconds = used.seconds;
    const after = world.traffic;
    const updates = after.updates - before.updates;
    const drops: Record<string, number> = {};
    for (const user of users) {
      if (user.closed) drops[user.closed.code] = (drops[user.closed.code] ?? 0) + 1;
    }
    loopDelay.disable();

    return {
      kind: 'load',
      scenario,
      rooms: rooms.size,
      status: collapseReason ? 'collapsed' : 'ok',
      ...(collapseReason ? { collapseReason } : {}),
      connectSeconds: population.connectSeconds,
      measuredSeconds: seconds,
      latencyMs: {
        p50: world.latency.percentile(50),
        p99: world.latency.percentile(99),
        max: world.latency.max,
        samples: world.latency.count,
        unmatched: world.unmatched,
      },
      freshnessMs: {
        p50: freshness.percentile(50),
        p99: freshness.percentile(99),
        samples: freshness.count,
      },
      batchGapMs: { p50: world.batchGap.percentile(50), p99: world.batchGap.percentile(99) },
      movesSentPerS: (after.movesSent - before.movesSent) / seconds,
      movesWantedPerS: users.length * scenario.rate,
      deliveredUpdatesPerS: updates / seconds,
      framesPerS: (after.frames - before.frames) / seconds,
      receivedMiBPerS: (after.bytes - before.bytes) / seconds / 2 ** 20,
      bytesPerUpdate: (after.bytes - before.bytes) / updates,
      framedBytesPerUpdate: (after.framedBytes - before.framedBytes) / updates,
      serverCpuPct: used.serverPct,
      serverPeakRssMiB: memory.peakMiB,
      serverRssEndMiB: memory.rssMiB,
      generatorCpuPct: used.generatorPct,
      generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      otherCpuPct: used.otherPct,
      drops,
      badFrames: world.badFrames,
    };
  } finally {
    driver?.stop();
    for (const user of population?.users ?? []) user.terminate();
    await server.stop();
  }
}
