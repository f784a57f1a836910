import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Cluster, startCluster } from './cluster.ts';
import { connectSplit, type SplitPopulation } from './crowd.ts';
import { sampleFreshness } from './freshness.ts';
import { MoveDriver } from './move-driver.ts';
import { CpuMeter, processMemory } from './proc.ts';
import { type HotFunction, hotFunctions, profileOf } from './profile.ts';
import type { RedisTraffic } from './redis-wire.ts';
import type { Random } from './rng.ts';
import type { Transport } from './sim-user.ts';
import { Histogram } from './stats.ts';
import { phaseOffsetMs } from './tick-phase.ts';
import { sumTraffic, type Traffic, World } from './world.ts';

/**
 * One measured configuration: N users moving at a rate, in rooms, over one transport, on one
 * server or on several nodes sharing their rooms over Redis.
 */
export interface LoadScenario {
  /** Stable id used to find results, e.g. "one-room/ws/tick/500" or "2-nodes/one-room/ws/tick/500". */
  key: string;
  group: string;
  users: number;
  roomSize: number;
  rate: number;
  transport: Transport;
  fanout: 'tick' | 'per-move';
  /** Server processes; more than one share a redis-server of their own, users alternate between them. */
  nodes: number;
  observers: number;
  warmupS: number;
  measureS: number;
  /** An audience: only this many users move (and observe); the rest are idle or hidden. */
  active?: number;
  /** Stop as soon as it has clearly collapsed (the per-move comparison) instead of running on. */
  stopOnCollapse: boolean;
}

/** p50 / p99 of one set of samples. */
export interface Spread {
  p50: number;
  p99: number;
  samples: number;
}

/** What only a multi-node run has: pairs split by node, each process, and Redis's traffic. */
export interface ClusterDetail {
  /** Observer and sender on the same node / on different nodes (the move went through Redis). */
  latencySameNodeMs: Spread;
  latencyCrossNodeMs: Spread;
  freshnessSameNodeMs: Spread;
  freshnessCrossNodeMs: Spread;
  /**
   * How long after node 1's tick each other node ticks (ms, 0–40): a move from node 1 to node k
   * waits that much longer than a same-node move, one from node k to node 1 the rest of the tick.
   */
  tickOffsetsMs: number[];
  /** Each node, then redis-server: CPU over the window (% of one core) and peak RSS. */
  processes: { name: string; cpuPct: number; peakRssMiB: number }[];
  /** Through Redis, per second of the window (bytes are RESP payload, both directions). */
  redis: { publishesPerS: number; commandsPerS: number; inKiBPerS: number; outKiBPerS: number };
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
  /**
   * Protocol v3 interest: freshness of the cursors an observer gets at full rate, and of the
   * rest (low rate, about once a second). When nobody is at low rate, `rest.samples` is 0.
   */
  freshnessFullRateMs: { p50: number; p99: number; samples: number };
  freshnessRestMs: { p50: number; p99: number; max: number; samples: number };
  /** Payload bytes each user received per second (all frames), and the whole room's total. */
  bytesPerRecipientPerS: number;
  /** The same for the users that move (all of them, except in an audience). */
  bytesPerMovingRecipientPerS: number;
  /** Frames each user received per second while the room filled (presence: nobody moves yet). */
  rampFramesPerUserPerS: number;
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
  /** All the server's processes together: with several nodes, every node and redis-server. */
  serverCpuPct: number;
  /** Peak RSS; with several nodes, the sum of each process's peak. */
  serverPeakRssMiB: number;
  serverRssEndMiB: number;
  /** The whole generator process (all its threads: up to 200 % on 2 cores). */
  generatorCpuPct: number;
  /**
   * Its two JavaScript threads, each % of one core: the observers' (main) and the crowd's
   * (worker). Each runs one event loop, so either one above SATURATED_CPU_PCT is saturated.
   */
  generatorObserversCpuPct: number;
  generatorCrowdCpuPct: number;
  /** Event-loop delay p99 of the observers' thread (main): it is in every latency sample. */
  generatorLoopDelayP99Ms: number;
  /** The same for the crowd's worker: how late its moves leave (also in latency, as send delay). */
  crowdLoopDelayP99Ms: number;
  /** CPU used by other processes on the machine during the window (% of one core). */
  otherCpuPct: number;
  /** When measured more than once because other processes disturbed it: their CPU each time. */
  otherCpuByAttempt?: number[];
  /** Connections that closed during the run, by close code. */
  drops: Record<string, number>;
  badFrames: number;
  /** Where the server spent its CPU, when run with --profile (node 1 of several). */
  serverProfile?: HotFunction[];
  /** Several nodes only. */
  cluster?: ClusterDetail;
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
  const cluster = await startCluster(scenario.nodes, { FANOUT: scenario.fanout }, nodeArgs);
  const result = await measure(scenario, random, progress, cluster);
  const first = cluster.processes[0];
  if (!profileDir || !first) return result;
  // The profile is written when the server exits, which measure() has waited for.
  const profile = profileOf(profileDir, first.pid);
  return profile ? { ...result, serverProfile: hotFunctions(profile) } : result;
}

async function measure(
  scenario: LoadScenario,
  random: Random,
  progress: (line: string) => void,
  cluster: Cluster,
): Promise<LoadResult> {
  const world = new World(scenario.users);
  let driver: MoveDriver | undefined;
  let population: SplitPopulation | undefined;
  try {
    population = await connectSplit(
      {
        urls: cluster.urls,
        users: scenario.users,
        roomSize: scenario.roomSize,
        transport: scenario.transport,
        observers: scenario.observers,
        moving: true,
        ...(scenario.active === undefined ? {} : { active: scenario.active }),
      },
      world,
      random,
      scenario.rate,
    );
    const { everyone: users, observers, rooms, crowd } = population;
    // The observers' counters (this thread) plus the crowd's (shared with its worker).
    const traffic = () => sumTraffic(world.traffic, crowd.traffic);
    // Everything received so far came while the room filled: welcomes and presence frames.
    const rampFrames = traffic().frames;
    progress(`${users.length} users connected in ${population.connectSeconds.toFixed(1)} s`);

    // The observers move too: their moves go from this thread, the crowd's from its worker.
    driver = new MoveDriver(observers, scenario.rate, random, () => {
      world.traffic.movesSent++;
    });
    const pids = cluster.processes.map((p) => p.pid);
    const threads = [process.pid, crowd.threadId];
    const cpu = new CpuMeter(pids, threads);
    const secondCpu = new CpuMeter(pids, threads);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const freshness = new Histogram();
    const split = { full: new Histogram(), rest: new Histogram() };
    const byNode =
      scenario.nodes > 1 ? { same: new Histogram(), cross: new Histogram() } : undefined;
    let collapseReason: string | undefined;
    let saturatedSeconds = 0;

    /** Once a second: is it still standing? (Only acted on when stopOnCollapse.) */
    const checkCollapse = (elapsedS: number): string | undefined => {
      const crash = cluster.crashed() ?? crowd.crashed();
      if (crash) throw new Error(`during the run, ${crash}`);
      // Saturated: one of the generator's threads (one event loop each) near a whole core.
      const generatorPct = Math.max(...secondCpu.read().threadPct);
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
    let before: Traffic = traffic();
    let redisBefore = await cluster.redis?.traffic();
    cpu.start();
    driver.start();
    crowd.startMoves();
    crowd.loopReset();
    secondCpu.start();
    for (let s = 1; s <= scenario.warmupS && !collapseReason; s++) {
      await sleep(1000);
      const reason = checkCollapse(s);
      if (scenario.stopOnCollapse) collapseReason = reason;
    }
    if (!collapseReason) {
      redisBefore = await cluster.redis?.traffic();
      before = traffic();
      world.resetLatency();
      cpu.start();
      loopDelay.reset();
      crowd.loopReset();
    }
    const windowStart = performance.now();
    const windowEnd = windowStart + scenario.measureS * 1000;
    let nextSecond = windowStart + 1000;
    while (!collapseReason && performance.now() < windowEnd) {
      await sleep(FRESHNESS_EVERY_MS);
      const now = performance.now();
      sampleFreshness(observers, rooms, now, freshness, byNode, split);
      if (now >= nextSecond) {
        nextSecond += 1000;
        const reason = checkCollapse(scenario.warmupS + (now - windowStart) / 1000);
        if (scenario.stopOnCollapse) collapseReason = reason;
      }
    }

    const used = cpu.read();
    const redisAfter = await cluster.redis?.traffic();
    const memory = cluster.processes.map((p) => processMemory(p.pid));
    const seconds = used.seconds;
    const after = traffic();
    const crowdLoopDelayMs = await crowd.loopDelayP99Ms();
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
      freshnessFullRateMs: {
        p50: split.full.percentile(50),
        p99: split.full.percentile(99),
        samples: split.full.count,
      },
      freshnessRestMs: {
        p50: split.rest.percentile(50),
        p99: split.rest.percentile(99),
        max: split.rest.max,
        samples: split.rest.count,
      },
      bytesPerRecipientPerS: (after.bytes - before.bytes) / seconds / users.length,
      bytesPerMovingRecipientPerS:
        (after.movingBytes - before.movingBytes) / seconds / (scenario.active ?? users.length),
      rampFramesPerUserPerS: rampFrames / users.length / population.connectSeconds,
      batchGapMs: { p50: world.batchGap.percentile(50), p99: world.batchGap.percentile(99) },
      movesSentPerS: (after.movesSent - before.movesSent) / seconds,
      movesWantedPerS: (scenario.active ?? users.length) * scenario.rate,
      deliveredUpdatesPerS: updates / seconds,
      framesPerS: (after.frames - before.frames) / seconds,
      receivedMiBPerS: (after.bytes - before.bytes) / seconds / 2 ** 20,
      bytesPerUpdate: (after.bytes - before.bytes) / updates,
      framedBytesPerUpdate: (after.framedBytes - before.framedBytes) / updates,
      serverCpuPct: used.serverPct,
      serverPeakRssMiB: memory.reduce((sum, m) => sum + m.peakMiB, 0),
      serverRssEndMiB: memory.reduce((sum, m) => sum + m.rssMiB, 0),
      generatorCpuPct: used.generatorPct,
      generatorObserversCpuPct: used.threadPct[0] ?? Number.NaN,
      generatorCrowdCpuPct: used.threadPct[1] ?? Number.NaN,
      generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      crowdLoopDelayP99Ms: crowdLoopDelayMs,
      otherCpuPct: used.otherPct,
      drops,
      badFrames: world.badFrames,
      ...(byNode
        ? {
            cluster: {
              latencySameNodeMs: spread(world.sameNodeLatency),
              latencyCrossNodeMs: spread(world.crossNodeLatency),
              freshnessSameNodeMs: spread(byNode.same),
              freshnessCrossNodeMs: spread(byNode.cross),
              tickOffsetsMs: tickOffsets(world, scenario.nodes),
              processes: cluster.processes.map((p, i) => ({
                name: p.name,
                cpuPct: used.processPct[i] ?? Number.NaN,
                peakRssMiB: memory[i]?.peakMiB ?? Number.NaN,
              })),
              redis: redisRates(redisBefore, redisAfter, seconds),
            },
          }
        : {}),
    };
  } finally {
    driver?.stop();
    for (const user of population?.observers ?? []) user.terminate();
    await population?.crowd.stop();
    await cluster.stop();
  }
}

function tickOffsets(world: World, nodes: number): number[] {
  const first = world.batchPhase(0).phaseMs();
  const offsets: number[] = [];
  for (let node = 1; node < nodes; node++)
    offsets.push(phaseOffsetMs(first, world.batchPhase(node).phaseMs()));
  return offsets;
}

function spread(h: Histogram): Spread {
  return { p50: h.percentile(50), p99: h.percentile(99), samples: h.count };
}

function redisRates(
  before: RedisTraffic | undefined,
  after: RedisTraffic | undefined,
  seconds: number,
): ClusterDetail['redis'] {
  const rate = (field: keyof RedisTraffic, per = 1) =>
    before && after ? (after[field] - before[field]) / per / seconds : Number.NaN;
  return {
    publishesPerS: rate('publishes'),
    commandsPerS: rate('commands'),
    inKiBPerS: rate('inBytes', 1024),
    outKiBPerS: rate('outBytes', 1024),
  };
}
