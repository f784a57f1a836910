import { Worker } from 'node:worker_threads';
import { connectPopulation, groupByRoom, type PopulationSpec } from './population.ts';
import type { Random } from './rng.ts';
import type { SimUser } from './sim-user.ts';
import {
  type GoneHow,
  type Sender,
  SHARED_TRAFFIC_BYTES,
  sharedTraffic,
  type Traffic,
  type World,
} from './world.ts';

/**
 * The main thread's handle on the crowd: every simulated user that is not an observer, played
 * in a worker thread of its own (crowd-worker.ts).
 *
 * Why a thread: in the audience one event loop sent 25,000 moves a second and read ~25,000 frames
 * a second, and an observer's frame waited behind all of that (loop delay p99 30–60 ms) before its
 * `message` event could take the receive time. Real users each have their own machine; here the
 * 20 observers keep the main thread's loop to themselves, and the counting-only thousands share
 * the worker's. Send times and traffic counters are shared memory (SentLogs, sharedTraffic), so
 * measuring never waits for a message from the busy worker.
 */

/**
 * A clock in the time base of the thread whose performance.timeOrigin is `mainTimeOrigin`.
 * Every thread's performance.now() counts from its own timeOrigin, and observers on main compare
 * the crowd's send times with their receive times, so the worker adds the difference of the
 * origins (0 on Node 20, where workers share the process's origin; not promised elsewhere). The
 * difference is taken first: adding a 1.8e12 ms epoch value and subtracting another would lose
 * the sub-millisecond digits.
 */
export function clockOf(mainTimeOrigin: number): () => number {
  const offset = performance.timeOrigin - mainTimeOrigin;
  return () => performance.now() + offset;
}

/** What the worker gets at start (its workerData). Everything here survives structured cloning. */
export interface CrowdSetup {
  /** The worker's TypeScript entry, loaded by crowd-worker-boot.mjs through tsx. */
  entry: string;
  spec: PopulationSpec;
  rate: number;
  seed: number;
  /** The main thread's performance.timeOrigin: the worker converts its clock to main's. */
  mainTimeOrigin: number;
  sentBuffer: SharedArrayBuffer;
  trafficBuffer: SharedArrayBuffer;
}

/** Main → worker. */
export type ToCrowd =
  | { t: 'start' }
  | { t: 'stop' }
  /** Stop (or start again) reading these users' sockets: the stalled-client scenario. */
  | { t: 'stall'; indexes: number[] }
  | { t: 'resume'; indexes: number[] }
  /** An observer saw this user leave (or go offline): stop sending its moves, as before. */
  | { t: 'gone'; index: number; how: GoneHow }
  /** Start the crowd's event-loop delay histogram afresh / report its p99. */
  | { t: 'loop-reset' }
  | { t: 'loop-read' }
  /** Drop every connection and exit. */
  | { t: 'close' };

/** Worker → main. */
export type FromCrowd =
  /** `tid` is the worker's Linux thread id (for its CPU); `at` its clock, converted to main's. */
  | { t: 'ready'; tid: number; at: number }
  | { t: 'connected'; users: CrowdUser[]; connectSeconds: number }
  | { t: 'failed'; message: string }
  | { t: 'closed'; index: number; code: number; at: number }
  | { t: 'loop'; p99Ms: number }
  | { t: 'done' };

/** One welcomed crowd user, as the worker reports it. */
export interface CrowdUser {
  index: number;
  id: number;
  room: string;
  node: number;
  moving: boolean;
}

/**
 * A crowd user as main sees it: what observers and the freshness sampler need (Sender), with
 * its send times read from the shared SentLogs and its closes reported by the worker.
 */
export class CrowdMember implements Sender {
  id: number;
  gone = false;
  goneAt = Number.NaN;
  goneHow: GoneHow | undefined;
  closed: { code: number; at: number } | null = null;

  readonly index: number;
  readonly room: string;
  readonly node: number;
  readonly moving: boolean;

  constructor(
    user: CrowdUser,
    private readonly world: World,
  ) {
    this.index = user.index;
    this.room = user.room;
    this.node = user.node;
    this.moving = user.moving;
    this.id = user.id;
  }

  get firstSentAt(): number {
    return this.world.sent.firstSentAt(this.index);
  }

  sentAt(move: number): number | undefined {
    return this.world.sent.sentAt(this.index, move);
  }
}

/** The worker's clock reading must fall between these main-thread readings (plus rounding). */
const CLOCK_SLACK_MS = 1;
const CONNECT_TIMEOUT_MS = 300_000;

/** How the crowd moves: the scenario's rate, and a seed for the worker's own random numbers. */
export interface CrowdOptions {
  rate: number;
  seed: number;
}

export class Crowd {
  readonly members: CrowdMember[] = [];
  /** The worker's users' counters, live (shared memory): add the observers' for totals. */
  readonly traffic: Traffic;
  connectSeconds = 0;
  private readonly byIndex = new Map<number, CrowdMember>();
  private readonly worker: Worker;
  private tid = 0;
  private loopReply: ((p99Ms: number) => void) | undefined;
  private exited = false;
  private stopping = false;
  private exitError: string | undefined;

  private constructor(
    private readonly world: World,
    options: CrowdOptions,
    spec: PopulationSpec,
  ) {
    const trafficBuffer = new SharedArrayBuffer(SHARED_TRAFFIC_BYTES);
    this.traffic = sharedTraffic(trafficBuffer);
    const setup: CrowdSetup = {
      entry: new URL('./crowd-worker.ts', import.meta.url).href,
      spec,
      rate: options.rate,
      seed: options.seed,
      mainTimeOrigin: performance.timeOrigin,
      sentBuffer: world.sent.buffer,
      trafficBuffer,
    };
    // tsx does not load .ts in a Worker by itself: the boot file registers it, then imports.
    this.worker = new Worker(new URL('./crowd-worker-boot.mjs', import.meta.url), {
      workerData: setup,
    });
    this.worker.on('error', (error) => {
      this.exitError = error.message;
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.exitError ??= `exited with code ${code}`;
      this.loopReply?.(Number.NaN);
    });
    // For the whole run: closes and loop-delay answers. (connect() listens for its own three.)
    this.worker.on('message', (msg: FromCrowd) => this.onMessage(msg));
    // Observers saw a crowd user leave: the worker must stop sending its moves, as before.
    world.onGone = (sender) => {
      if (sender instanceof CrowdMember && sender.goneHow)
        this.send({ t: 'gone', index: sender.index, how: sender.goneHow });
    };
  }

  /** Starts the worker and resolves once every crowd user is welcomed (or rejects). */
  static async connect(spec: PopulationSpec, world: World, options: CrowdOptions): Promise<Crowd> {
    const createdAt = performance.now();
    const crowd = new Crowd(world, options, spec);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('crowd worker: not connected in time')),
          CONNECT_TIMEOUT_MS,
        );
        const fail = (error: Error) => {
          clearTimeout(timer);
          reject(error);
        };
        crowd.worker.on('error', fail);
        crowd.worker.on('exit', (code) => fail(new Error(`crowd worker exited (${code})`)));
        crowd.worker.on('message', (msg: FromCrowd) => {
          if (msg.t === 'ready') {
            // Both threads must record times in one time base, or every latency would be off by
            // the difference: the worker's converted clock must read between our two readings.
            const receivedAt = performance.now();
            if (msg.at < createdAt - CLOCK_SLACK_MS || msg.at > receivedAt + CLOCK_SLACK_MS)
              fail(
                new Error(
                  `crowd worker clock ${msg.at} ms is not within ${createdAt}–${receivedAt} ms`,
                ),
              );
            crowd.tid = msg.tid;
          } else if (msg.t === 'connected') {
            crowd.welcomed(msg.users);
            crowd.connectSeconds = msg.connectSeconds;
            clearTimeout(timer);
            resolve();
          } else if (msg.t === 'failed') fail(new Error(msg.message));
        });
      });
    } catch (error) {
      await crowd.stop();
      throw error;
    }
    return crowd;
  }

  /** Why the worker ended on its own, if it did: a run without its crowd measures nothing. */
  crashed(): string | undefined {
    return this.exited && !this.stopping ? `the crowd worker ${this.exitError}` : undefined;
  }

  /** The crowd's users start (or stop) moving, on the worker's own MoveDriver. */
  startMoves(): void {
    this.send({ t: 'start' });
  }

  stopMoves(): void {
    this.send({ t: 'stop' });
  }

  stall(members: readonly CrowdMember[]): void {
    this.send({ t: 'stall', indexes: members.map((m) => m.index) });
  }

  resume(members: readonly CrowdMember[]): void {
    this.send({ t: 'resume', indexes: members.map((m) => m.index) });
  }

  /** The worker's Linux thread id: CpuMeter reads its CPU from /proc without asking it. */
  get threadId(): number {
    return this.tid;
  }

  loopReset(): void {
    this.send({ t: 'loop-reset' });
  }

  /** The crowd loop's delay p99 since loopReset (this one waits for the worker's answer). */
  loopDelayP99Ms(): Promise<number> {
    if (this.exited) return Promise.resolve(Number.NaN);
    return new Promise((resolve) => {
      this.loopReply = resolve;
      this.send({ t: 'loop-read' });
    });
  }

  /** Drops every crowd connection and ends the worker. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.exited) return;
    const done = new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.on('message', (msg: FromCrowd) => {
        if (msg.t === 'done') void this.worker.terminate();
      });
    });
    this.send({ t: 'close' });
    // A worker stuck past this would hang the bench; terminate() ends it regardless.
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await done;
    clearTimeout(timer);
  }

  private send(msg: ToCrowd): void {
    if (!this.exited) this.worker.postMessage(msg);
  }

  private welcomed(users: readonly CrowdUser[]): void {
    for (const user of users) {
      const member = new CrowdMember(user, this.world);
      this.members.push(member);
      this.byIndex.set(user.index, member);
      this.world.byId.set(user.id, member);
    }
  }

  private onMessage(msg: FromCrowd): void {
    if (msg.t === 'closed') {
      const member = this.byIndex.get(msg.index);
      if (!member) return; // a connection that failed before its welcome: reported as 'failed'
      member.closed = { code: msg.code, at: msg.at };
      if (!member.gone) {
        member.gone = true;
        member.goneAt = msg.at;
        member.goneHow = 'closed';
      }
    } else if (msg.t === 'loop') {
      this.loopReply?.(msg.p99Ms);
      this.loopReply = undefined;
    }
  }
}

/** A population split over two threads: observers here, the crowd in its worker. */
export interface SplitPopulation {
  observers: SimUser[];
  crowd: Crowd;
  /** Everyone, observers first: for close codes and the rooms map. */
  everyone: (SimUser | CrowdMember)[];
  /** Room name → its members, for the freshness sampler. */
  rooms: Map<string, (SimUser | CrowdMember)[]>;
  /** Until the last of both was welcomed. */
  connectSeconds: number;
}

/**
 * Connects the observers on this thread and, at the same time, the crowd in its worker: both
 * join in waves as connectPopulation does, so the room fills at the same pace as before.
 */
export async function connectSplit(
  spec: PopulationSpec,
  world: World,
  random: Random,
  rate: number,
): Promise<SplitPopulation> {
  const started = performance.now();
  const seed = Math.floor(random() * 2 ** 31);
  const [observers, crowd] = await Promise.allSettled([
    connectPopulation(spec, world, random, 'observers'),
    Crowd.connect(spec, world, { rate, seed }),
  ]);
  if (observers.status === 'rejected' || crowd.status === 'rejected') {
    // One half failed: drop the other half too, and say why.
    if (observers.status === 'fulfilled')
      for (const user of observers.value.users) user.terminate();
    if (crowd.status === 'fulfilled') await crowd.value.stop();
    const failed = observers.status === 'rejected' ? observers : crowd;
    const reason: unknown = failed.status === 'rejected' ? failed.reason : undefined;
    throw reason instanceof Error ? reason : new Error(String(reason));
  }
  const everyone = [...observers.value.users, ...crowd.value.members];
  const rooms = groupByRoom(everyone);
  return {
    observers: observers.value.users,
    crowd: crowd.value,
    everyone,
    rooms,
    connectSeconds: (performance.now() - started) / 1000,
  };
}
