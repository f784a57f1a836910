/**
 * `pnpm bench`: starts the production server, plays hundreds of users against it from this
 * process, and reports latency, freshness, throughput, bytes, CPU and memory against the
 * project's targets. Method and results: docs/benchmark.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { NodesPair } from './backplane-cost.ts';
import { intOption, numberOption, scriptArgs } from './cli-args.ts';
import { type IdleResult, runIdleScenario } from './idle-scenario.ts';
import { type LoadResult, runLoadScenario } from './load-scenario.ts';
import { QUIET_PCT, waitForQuiet } from './quiet.ts';
import {
  backplaneTable,
  crowdTable,
  fmtGeneratorCpu,
  idleTable,
  interestLine,
  loadTable,
  nodesTable,
  perMoveTable,
  profileTable,
  stalledTable,
  targetsTable,
} from './report.ts';
import { seededRandom } from './rng.ts';
import {
  CROWD_HZ,
  GROUP_HELP,
  GROUPS,
  type Group,
  idleScenario,
  loadScenario,
  makePlan,
  NODES,
  type PlanOptions,
  RATE_HZ,
} from './scenarios.ts';
import { REPO_ROOT } from './server-process.ts';
import type { Transport } from './sim-user.ts';
import { runStalledScenario, type StalledResult } from './stalled-scenario.ts';
import { checkTargets, type Result } from './targets.ts';

const HELP = `Usage: pnpm bench -- [options]
  --scenario <names>   comma-separated groups to run (default: all):
${GROUPS.map((g) => `                         ${g.padEnd(9)} ${GROUP_HELP[g]}`).join('\n')}
  --quick              smoke run of every group at small sizes (under a minute)
  --sizes <n,n,…>      room sizes for one-room and per-move (default 50,100,250,500)
  --node-sizes <n,n,…> one-room sizes for nodes: each on one server, then on ${NODES} nodes
                       sharing a redis-server of their own (default 100,500; quick 50)
  --node-rate <hz>     moves per second per user in nodes (default ${RATE_HZ})
  --node-rooms         nodes also compares 1,000 users in rooms of 20 (quick 100)
  --duration <s>       measured window per load scenario (default 10, quick 3)
  --warmup <s>         warm-up before measuring (default 3, quick 1)
  --observers <n>      users that decode everything to measure latency (default 20)
  --wait-quiet <s>     wait up to this long for other processes to go quiet (default 120)
  --retries <n>        measure a scenario again, up to n times, when other processes used more
                       than 25% CPU during it; the least disturbed attempt is kept (default 2)
  --seed <n>           random seed
  --profile            run the server under node --cpu-prof in load scenarios and list its
                       hottest functions (profiles kept in bench-results/profiles/; with
                       several nodes, node 1's is listed)`;

interface BenchOptions extends PlanOptions {
  groups: Group[];
  waitQuietS: number;
  retries: number;
  seed: number;
  profile: boolean;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    args: scriptArgs(),
    options: {
      scenario: { type: 'string', default: 'all' },
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      observers: { type: 'string' },
      'wait-quiet': { type: 'string' },
      seed: { type: 'string' },
      retries: { type: 'string' },
      sizes: { type: 'string' },
      'node-sizes': { type: 'string' },
      'node-rate': { type: 'string' },
      'node-rooms': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const names =
    values.scenario === 'all' ? [...GROUPS] : values.scenario.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${GROUPS.join(', ')}`);
  const quick = values.quick;
  return {
    groups: GROUPS.filter((g) => names.includes(g)),
    quick,
    measureS: numberOption('duration', values.duration, quick ? 3 : 10, 1, 600),
    warmupS: intOption('warmup', values.warmup, quick ? 1 : 3, 0, 60),
    observers: intOption('observers', values.observers, 20, 1, 100),
    waitQuietS: numberOption('wait-quiet', values['wait-quiet'], 120, 0, 3600),
    seed: intOption('seed', values.seed, 1, 0, 2 ** 31 - 1),
    retries: intOption('retries', values.retries, quick ? 0 : 2, 0, 10),
    profile: values.profile,
    ...(values.sizes === undefined
      ? {}
      : { sizes: values.sizes.split(',').map((n) => intOption('sizes', n.trim(), 0, 2, 5000)) }),
    ...(values['node-sizes'] === undefined
      ? {}
      : {
          nodeSizes: values['node-sizes']
            .split(',')
            .map((n) => intOption('node-sizes', n.trim(), 0, 2, 5000)),
        }),
    nodeRate: intOption('node-rate', values['node-rate'], RATE_HZ, 1, 60),
    nodeRooms: values['node-rooms'],
  };
}

const say = (line: string) => console.log(`  ${line}`);

async function main(): Promise<void> {
  const options = readOptions();
  const plan = makePlan(options);
  const random = seededRandom(options.seed);
  const results: Result[] = [];
  const perMovePairs: { tick: LoadResult; perMove: LoadResult }[] = [];
  const nodesPairs: NodesPair[] = [];
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const resultsDir = `${REPO_ROOT}bench-results`;
  const profileDir = options.profile ? `${resultsDir}/profiles/${stamp}` : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  // Ctrl-C: stop at once. Server and redis children are killed by their exit hooks
  // (server-process.ts, redis-process.ts).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping`);
      process.exit(130);
    });
  }

  /**
   * Runs a measurement, and runs it again (up to --retries times) when other processes on the
   * machine used more than QUIET_PCT of a core during it. Keeps the attempt they disturbed least,
   * chosen by that disturbance alone, never by its results; the result lists every attempt's.
   */
  async function quietest<R extends { otherCpuPct: number; otherCpuByAttempt?: number[] }>(
    run: () => Promise<R>,
  ): Promise<R> {
    let best: R | undefined;
    const others: number[] = [];
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      await waitForQuiet(options.waitQuietS, say);
      const result = await run();
      others.push(result.otherCpuPct);
      if (!best || result.otherCpuPct < best.otherCpuPct) best = result;
      if (result.otherCpuPct <= QUIET_PCT) break;
      if (attempt < options.retries) {
        say(
          `other processes used ${Math.round(result.otherCpuPct)}% CPU meanwhile: measuring again`,
        );
      }
    }
    if (!best) throw new Error('no attempt ran');
    return others.length > 1 ? { ...best, otherCpuByAttempt: others } : best;
  }

  async function load(
    group: Group,
    users: number,
    roomSize: number,
    transport: Transport,
    fanout: 'tick' | 'per-move',
    nodes = 1,
    rate = RATE_HZ,
    active?: number,
  ) {
    const base = loadScenario(group, users, roomSize, transport, fanout, options, nodes, rate);
    // An audience is its own configuration: key it so, or it would be taken for a crowd run.
    const scenario =
      active === undefined ? base : { ...base, active, key: `${base.key}/active-${active}` };
    const earlier = results.find(
      (r): r is LoadResult => r.kind === 'load' && r.scenario.key === scenario.key,
    );
    if (earlier) return earlier; // the same configuration already measured in this run
    const where = nodes > 1 ? `, ${nodes} nodes + Redis` : '';
    console.log(
      `\n▶ ${scenario.key}: ${users} users, ${Math.ceil(users / Math.min(users, roomSize))} room(s), ${scenario.rate} Hz, ${transport}, ${fanout}${where}`,
    );
    const result = await quietest(async () => {
      const r = await runLoadScenario(scenario, random, say, profileDir);
      say(
        `latency p99 ${r.latencyMs.p99.toFixed(1)} ms, freshness p99 ${r.freshnessMs.p99.toFixed(1)} ms, ` +
          (r.cluster
            ? `cross-node latency p99 ${r.cluster.latencyCrossNodeMs.p99.toFixed(1)} ms, ` +
              `server CPU ${r.cluster.processes.map((p) => `${p.name} ${p.cpuPct.toFixed(0)}%`).join(', ')}, `
            : `server CPU ${r.serverCpuPct.toFixed(0)}%, `) +
          `generator CPU ${fmtGeneratorCpu(r)} (observers + crowd), ` +
          `loop delay p99 ${r.generatorLoopDelayP99Ms.toFixed(1)} / ${r.crowdLoopDelayP99Ms.toFixed(1)} ms` +
          (r.status === 'collapsed' ? `; COLLAPSED (${r.collapseReason})` : ''),
      );
      return r;
    });
    results.push(result);
    return result;
  }

  for (const group of options.groups) {
    if (group === 'one-room') {
      for (const users of plan.oneRoomSizes) await load(group, users, users, 'ws', 'tick');
    } else if (group === 'sockjs') {
      await load(group, plan.sockjsSize, plan.sockjsSize, 'sockjs', 'tick');
    } else if (group === 'rooms') {
      await load(group, plan.rooms.users, plan.rooms.roomSize, 'ws', 'tick');
    } else if (group === 'per-move') {
      for (const users of plan.perMoveSizes) {
        const tick = await load('one-room', users, users, 'ws', 'tick');
        const perMove = await load(group, users, users, 'ws', 'per-move');
        perMovePairs.push({ tick, perMove });
        if (perMove.status === 'collapsed') {
          say(`per-move collapsed at ${users} users: larger sizes skipped`);
          break;
        }
      }
    } else if (group === 'idle') {
      for (const transport of ['ws', 'sockjs'] as const) {
        const scenario = idleScenario(plan.idleUsers, transport, options.quick);
        console.log(
          `\n▶ ${scenario.key}: ${scenario.users} idle users in rooms of ${scenario.roomSize}, ${transport}`,
        );
        await waitForQuiet(options.waitQuietS, say);
        const result = await runIdleScenario(scenario, random, say);
        say(`${result.kibPerConnection.toFixed(1)} KiB per idle connection`);
        results.push(result);
      }
    } else if (group === 'nodes') {
      // Each size on one server (the one-room or rooms result of this run, when it has one),
      // then on several nodes over Redis.
      for (const { users, roomSize, rate } of plan.nodes) {
        const alone = users > roomSize ? 'rooms' : 'one-room';
        const single = await load(alone, users, roomSize, 'ws', 'tick', 1, rate);
        const multi = await load(group, users, roomSize, 'ws', 'tick', NODES, rate);
        nodesPairs.push({ single, multi });
      }
    } else if (group === 'crowd') {
      const r = await load(group, plan.crowdSize, plan.crowdSize, 'ws', 'tick', 1, CROWD_HZ);
      say(interestLine(r));
    } else if (group === 'crowd-nodes') {
      const { users, active } = plan.crowdNodes;
      for (const moving of [active, undefined]) {
        const r = await load(group, users, users, 'ws', 'tick', NODES, CROWD_HZ, moving);
        say(interestLine(r));
      }
    } else if (group === 'audience') {
      const { users, active } = plan.audience;
      const r = await load(group, users, users, 'ws', 'tick', 1, CROWD_HZ, active);
      say(
        `${interestLine(r)}; joined in ${r.connectSeconds.toFixed(1)} s, ` +
          `${r.rampFramesPerUserPerS.toFixed(1)} frames per user per second while joining`,
      );
    } else if (group === 'stalled') {
      for (const scenario of plan.stalled) {
        console.log(
          `\n▶ ${scenario.key}: ${scenario.users} users in one room, ${scenario.stalled} stop reading (${scenario.label})`,
        );
        results.push(await quietest(() => runStalledScenario(scenario, random, say)));
      }
    }
  }

  // Multi-node rows have their own table, next to the one-server rows they compare with.
  const loads = results.filter((r): r is LoadResult => r.kind === 'load' && r.scenario.nodes === 1);
  const idles = results.filter((r): r is IdleResult => r.kind === 'idle');
  const stalled = results.filter((r): r is StalledResult => r.kind === 'stalled');
  const checks = checkTargets(results);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

  const sections = [
    `Cursorline benchmark, ${startedAt.toISOString()}${options.quick ? ' (quick smoke run)' : ''}`,
    `Machine: ${machine}`,
    `Measured window ${options.measureS} s after ${options.warmupS} s warm-up; ${options.observers} observers per scenario; ` +
      'B/update = payload bytes received ÷ cursor updates received (WebSocket headers excluded)',
  ];
  if (loads.length > 0) sections.push(`\n### Load\n\n${loadTable(loads)}`);
  if (perMovePairs.length > 0)
    sections.push(
      `\n### Per-move fan-out vs tick (ratio = per-move ÷ tick)\n\n${perMoveTable(perMovePairs)}`,
    );
  const crowds = results.filter(
    (r): r is LoadResult =>
      r.kind === 'load' &&
      (r.scenario.group.startsWith('crowd') || r.scenario.group === 'audience'),
  );
  if (crowds.length > 0) {
    sections.push(`\n### Crowds: interest management (protocol v3)\n\n${crowdTable(crowds)}`);
  }
  if (nodesPairs.length > 0) {
    sections.push(
      `\n### One server vs ${NODES} nodes over Redis (users alternate between nodes)\n\n${nodesTable(nodesPairs)}`,
      `\n### What the backplane costs\n\n${backplaneTable(nodesPairs)}`,
    );
  }
  if (idles.length > 0) sections.push(`\n### Memory per idle connection\n\n${idleTable(idles)}`);
  for (const r of stalled) sections.push(`\n### Stalled clients\n\n${stalledTable(r)}`);
  for (const r of results) {
    if (r.kind === 'load' && r.serverProfile)
      sections.push(`\n${profileTable(r.scenario.key, r.serverProfile)}`);
  }
  sections.push(`\n### Targets\n\n${targetsTable(checks)}`);
  console.log(`\n${sections.join('\n')}`);

  const failed = checks.filter((c) => c.verdict === 'FAIL').length;
  const judged = checks.filter((c) => c.verdict !== 'n/a').length;
  console.log(
    `\n${judged - failed} of ${judged} targets pass${failed > 0 ? `, ${failed} FAIL` : ''}.`,
  );

  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}/bench-${stamp}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ date: startedAt.toISOString(), machine, options, results, perMove: perMovePairs.map((p) => p.perMove.scenario.key), nodes: nodesPairs.map((p) => ({ single: p.single.scenario.key, multi: p.multi.scenario.key })), targets: checks }, null, 2)}\n`,
  );
  console.log(`Results written to ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
