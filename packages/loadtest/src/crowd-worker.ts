import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { type CrowdSetup, clockOf, type FromCrowd, type ToCrowd } from './crowd.ts';
import { SentLogs } from './move-code.ts';
import { MoveDriver } from './move-driver.ts';
import { connectPopulation } from './population.ts';
import { ownThreadId } from './proc.ts';
import { seededRandom } from './rng.ts';
import type { SimUser } from './sim-user.ts';
import { sharedTraffic, World } from './world.ts';

/**
 * The crowd's worker thread (started by crowd.ts): it plays every simulated user that is not an
 * observer. It connects them in waves as the single-threaded bench did, says who got which id,
 * then moves them on command and reports their closes. It measures nothing itself: the send times
 * it writes into the shared SentLogs and the counters it adds to in the shared traffic are read by
 * the main thread, whose observers keep an event loop of their own.
 */
const port = parentPort;
if (!port) throw new Error('crowd-worker.ts runs as a worker thread (see crowd.ts)');
const setup = workerData as CrowdSetup;
const post = (msg: FromCrowd) => port.postMessage(msg);

// Every time we record (send times, closes) is in the main thread's time base.
const mainClock = clockOf(setup.mainTimeOrigin);

const world = new World(setup.spec.users, {
  sent: new SentLogs(setup.spec.users, undefined, setup.sentBuffer),
  traffic: sharedTraffic(setup.trafficBuffer),
  now: mainClock,
});
// Our own sockets' closes go to main, which shows them on the CrowdMember proxies.
world.onClosed = (sender, code, at) => post({ t: 'closed', index: sender.index, code, at });

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const random = seededRandom(setup.seed);
let users: SimUser[] = [];
let driver: MoveDriver | undefined;

post({ t: 'ready', tid: ownThreadId(), at: mainClock() });

port.on('message', (msg: ToCrowd) => {
  const byIndex = (indexes: readonly number[]) => {
    const wanted = new Set(indexes);
    return users.filter((u) => wanted.has(u.index));
  };
  if (msg.t === 'start') driver?.start();
  else if (msg.t === 'stop') driver?.stop();
  else if (msg.t === 'stall') for (const user of byIndex(msg.indexes)) user.stall();
  else if (msg.t === 'resume') for (const user of byIndex(msg.indexes)) user.resume();
  else if (msg.t === 'gone') {
    // Marked gone here too, so our MoveDriver stops sending its moves (a stalled user the
    // server dropped must not write into a closed connection before it reads the close).
    for (const user of byIndex([msg.index])) world.markGone(user.id, msg.how);
  } else if (msg.t === 'loop-reset') loopDelay.reset();
  else if (msg.t === 'loop-read') post({ t: 'loop', p99Ms: loopDelay.percentile(99) / 1e6 });
  else if (msg.t === 'close') {
    driver?.stop();
    loopDelay.disable();
    for (const user of users) user.terminate();
    post({ t: 'done' });
    port.close();
  }
});

try {
  const population = await connectPopulation(setup.spec, world, random, 'crowd');
  users = population.users;
  driver = new MoveDriver(users, setup.rate, random, () => world.traffic.movesSent++, mainClock);
  post({
    t: 'connected',
    users: users.map(({ index, id, room, node, moving }) => ({ index, id, room, node, moving })),
    connectSeconds: population.connectSeconds,
  });
} catch (error) {
  post({ t: 'failed', message: error instanceof Error ? error.message : String(error) });
}
