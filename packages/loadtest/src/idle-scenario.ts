import { connectInspector, type Inspector } from './inspector.ts';
import { connectPopulation } from './population.ts';
import { processMemory } from './proc.ts';
import type { Random } from './rng.ts';
import { freePort, startServer } from './server-process.ts';
import type { Transport } from './sim-user.ts';
import { median } from './stats.ts';
import { World } from './world.ts';

export interface IdleScenario {
  key: string;
  group: 'idle';
  users: number;
  roomSize: number;
  transport: Transport;
  /** How long to let the server settle (and collect garbage) before reading its memory. */
  settleS: number;
}

export interface IdleResult {
  kind: 'idle';
  scenario: IdleScenario;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  serverPeakRssMiB: number;
  /** RSS growth per connection, both readings taken right after a full garbage collection. */
  kibPerConnection: number;
  /** The JavaScript heap's share of it. */
  heapKibPerConnection: number;
  /** RSS growth per connection without forcing a collection first (includes handshake garbage). */
  kibPerConnectionNoGc: number;
  connectSeconds: number;
}

const WARM_USERS = 20;
const SAMPLES = 5;
const SAMPLE_GAP_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Median of a few RSS readings: one reading can land in the middle of a garbage collection. */
async function settledRssMiB(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(processMemory(pid).rssMiB);
    await sleep(SAMPLE_GAP_MS);
  }
  return median(samples);
}

interface Reading {
  rssNoGcMiB: number;
  rssMiB: number;
  heapBytes: number;
}

/** Memory as it is, then after a full collection (what the connections really keep). */
async function read(pid: number, inspector: Inspector): Promise<Reading> {
  const rssNoGcMiB = await settledRssMiB(pid);
  await inspector.collectGarbage();
  await inspector.collectGarbage(); // the second pass frees what the first one's finalizers let go
  return { rssNoGcMiB, rssMiB: await settledRssMiB(pid), heapBytes: await inspector.heapUsed() };
}

/**
 * Server memory per idle connection: RSS with N users connected and silent (hello, then nothing)
 * minus RSS before they came, divided by N, both read right after a full garbage collection.
 * A few users connect and leave first, so the code paths and buffers every connection needs are
 * already paid for in the "before" reading.
 */
export async function runIdleScenario(
  scenario: IdleScenario,
  random: Random,
  progress: (line: string) => void,
): Promise<IdleResult> {
  // The inspector (loopback only) lets us force garbage collections before reading memory.
  const inspectPort = await freePort();
  const server = await startServer({}, [`--inspect=127.0.0.1:${inspectPort}`]);
  const users: { terminate(): void }[] = [];
  let inspector: Inspector | undefined;
  try {
    inspector = await connectInspector(inspectPort);
    const warm = await connectPopulation(
      {
        urls: [server.url],
        users: WARM_USERS,
        roomSize: scenario.roomSize,
        transport: scenario.transport,
        observers: 0,
        moving: false,
      },
      new World(WARM_USERS),
      random,
    );
    for (const user of warm.users) user.close();
    await sleep(scenario.settleS * 1000);
    const before = await read(server.pid, inspector);

    const idle = await connectPopulation(
      {
        urls: [server.url],
        users: scenario.users,
        roomSize: scenario.roomSize,
        transport: scenario.transport,
        observers: 0,
        moving: false,
      },
      new World(scenario.users),
      random,
    );
    users.push(...idle.users);
    progress(`${idle.users.length} idle users connected in ${idle.connectSeconds.toFixed(1)} s`);
    await sleep(scenario.settleS * 1000);
    const after = await read(server.pid, inspector);
    const closed = idle.users.filter((u) => u.closed).length;
    if (closed > 0) throw new Error(`${closed} idle connections were closed by the server`);

    return {
      kind: 'idle',
      scenario,
      rssBeforeMiB: before.rssMiB,
      rssAfterMiB: after.rssMiB,
      serverPeakRssMiB: processMemory(server.pid).peakMiB,
      kibPerConnection: ((after.rssMiB - before.rssMiB) * 1024) / idle.users.length,
      heapKibPerConnection: (after.heapBytes - before.heapBytes) / 1024 / idle.users.length,
      kibPerConnectionNoGc: ((after.rssNoGcMiB - before.rssNoGcMiB) * 1024) / idle.users.length,
      connectSeconds: idle.connectSeconds,
    };
  } finally {
    inspector?.close();
    for (const user of users) user.terminate();
    await server.stop();
  }
}
