/**
 * The fuzzer's long soak: the same seeded drivers as test/fuzz/fuzz.test.ts, for a million frames
 * or more, bounded in time, against the real server in its own process. Prints frames per
 * endpoint and kind, close codes and HTTP statuses per endpoint, deaths and findings; exits 1 if
 * the server died or anything undocumented was seen.
 *
 *   pnpm fuzz:soak                          1,000,000 frames, at most 20 minutes
 *   FUZZ_FRAMES=3000000 FUZZ_MINUTES=60 pnpm fuzz:soak
 *   FUZZ_SEED=123 pnpm fuzz:soak            replay a run
 *   FUZZ_SKIP=sockjs-ws pnpm fuzz:soak      leave endpoints out (e.g. one with a known crash,
 *                                           which would otherwise end every round at once)
 *   FUZZ_SEED=123 FUZZ_REPLAY=ws/sockjs-raw/5 pnpm fuzz:soak
 *                                           replay one connection of a CI run (phase/endpoint/conn,
 *                                           as printed in a finding) and print every frame it sent
 *
 * Only 127.0.0.1 and ports from the OS; stops only the server processes it started.
 */
import { type ChildServer, startChildServer } from '../test/child-server.ts';
import {
  controlFrames,
  type HttpReceiver,
  httpRequest,
  LIFTED,
  Report,
  runHttp,
  runPool,
  runWs,
  type Target,
  urlForms,
  type WsEndpoint,
} from '../test/fuzz/endpoints.ts';
import { MARKER_RE, rngFor, runSeed } from '../test/fuzz/generators.ts';
import { joinRoom, type TestUser } from '../test/helpers.ts';

const SEED = runSeed();
const TARGET_FRAMES = Number(process.env.FUZZ_FRAMES ?? 1_000_000);
const MINUTES = Number(process.env.FUZZ_MINUTES ?? 20);
const WS_ENDPOINTS: WsEndpoint[] = ['ws', 'sockjs-ws', 'sockjs-raw'];
const SKIP = new Set((process.env.FUZZ_SKIP ?? '').split(',').filter(Boolean));
const HTTP_ENDPOINTS: HttpReceiver[] = ['xhr_streaming', 'xhr', 'jsonp', 'eventsource', 'htmlfile'];

let server: ChildServer;
// Interrupted (Ctrl+C, a timeout): exit normally, so the child server is stopped with us.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const report = new Report(SEED);
const deaths: string[] = [];
const seen = new Set<string>();
let canaries: TestUser[] = [];

async function start(): Promise<void> {
  server = await startChildServer(LIFTED);
  const current = server;
  report.serverAlive = () => current.alive();
  // FUZZ_CANARIES=ws (or none) leaves the SockJS canary (or both) out, to tell what a death needs.
  const which = process.env.FUZZ_CANARIES ?? 'ws,sockjs';
  canaries = [];
  if (which.includes('ws')) canaries.push(await joinRoom(server.url, 'fuzz', 'canaryWs', 'ws'));
  if (which.includes('sockjs'))
    canaries.push(await joinRoom(server.url, 'fuzz', 'canarySockjs', 'sockjs'));
  for (const c of canaries) {
    const note = (s: string) => {
      for (const m of s.match(MARKER_RE) ?? []) seen.add(m);
    };
    c.client.on('join', (u) => note(u.name));
    c.client.on('update', (u, change) => change === 'name' && note(u.name));
    c.client.onRelay('chat', ({ text }) => note(text));
  }
}

async function responsive(): Promise<boolean> {
  const a = await httpRequest(server.port, 'GET', '/healthz', { timeoutMs: 5000, agent: false });
  return a.status === 200;
}

async function replayOne(spec: string): Promise<void> {
  const [phase = '', endpoint = '', conn = '0'] = spec.split('/');
  server = await startChildServer(LIFTED);
  const t: Target = {
    url: server.url,
    port: server.port,
    maxBytes: 4096,
    phase,
    seed: SEED,
    trace: (line) => console.log(`  ${line}`),
  };
  console.log(`replaying FUZZ_SEED=${SEED} ${phase}/${endpoint}/${conn}`);
  if ((WS_ENDPOINTS as string[]).includes(endpoint)) {
    await runWs(t, report, endpoint as WsEndpoint, Number(conn), { length: 80, hostile: 0.08 });
  } else {
    await runHttp(t, report, endpoint as HttpReceiver, Number(conn), {
      length: 120,
      hostile: 0.06,
      maxBatch: 30,
    });
  }
  await new Promise((r) => setTimeout(r, 500));
  console.log(`server alive: ${server.alive()}`);
  console.log(report.summary());
  await server.stop();
}

async function soak(): Promise<void> {
  const t0 = Date.now();
  const end = t0 + MINUTES * 60_000;
  console.log(
    `fuzz soak: FUZZ_SEED=${SEED}, ${TARGET_FRAMES} frames, at most ${MINUTES} min` +
      (SKIP.size ? `, skipping ${[...SKIP].join(', ')}` : ''),
  );
  await start();
  let round = 0;
  while (report.totalFrames() < TARGET_FRAMES && Date.now() < end) {
    round++;
    if (!server.alive()) {
      deaths.push(`round ${round - 1}`);
      for (const c of canaries) c.client.close();
      await start();
    }
    const t: Target = {
      url: server.url,
      port: server.port,
      maxBytes: 4096,
      phase: `soak${round}`,
      seed: SEED,
    };
    const until = Math.min(end, Date.now() + 60_000);
    const alive = () => server.alive();
    // One round: every endpoint at once, then the raw-socket and URL-form cases now and then.
    const pool = (endpoint: WsEndpoint, frames: number, concurrency: number) =>
      SKIP.has(endpoint)
        ? Promise.resolve(0)
        : runPool(t, report, endpoint, {
            frames,
            deadline: until,
            concurrency,
            length: 80, // the same scripts as the CI test, so FUZZ_REPLAY replays either
            hostile: 0.08,
            keepGoing: alive,
          });
    await Promise.all([
      pool('ws', 25_000, 12),
      pool('sockjs-ws', 15_000, 8),
      pool('sockjs-raw', 15_000, 8),
      ...HTTP_ENDPOINTS.filter((kind) => !SKIP.has(kind)).map((kind) =>
        runPool(t, report, kind, {
          frames: 5000,
          deadline: until,
          concurrency: 2,
          length: 120,
          hostile: 0.06,
          maxBatch: 30,
          keepGoing: alive,
        }),
      ),
    ]);
    if (server.alive() && round % 5 === 1)
      await controlFrames(t, report, rngFor(SEED, 'control', round));
    if (server.alive() && round % 10 === 1)
      await urlForms(t, report, { sizes: [1 << 20, 8 << 20], rounds: 1 });
    if (server.alive() && !(await responsive()))
      report.find({
        endpoint: 'control',
        what: 'server stopped answering /healthz',
        replay: `round ${round}`,
        detail: '',
      });
    const s = ((Date.now() - t0) / 1000).toFixed(0);
    console.log(
      `round ${round}: ${report.totalFrames()} frames, ${report.findings.length} findings, ${deaths.length} deaths, ${s} s`,
    );
  }
  if (!server.alive()) deaths.push(`round ${round}`);
  const leaked = [...report.forbidden].filter(([m]) => seen.has(m));
  console.log(report.summary());
  console.log(`deaths: ${deaths.length ? deaths.join(', ') : 'none'}`);
  console.log(`leaks (refused content seen by a canary): ${leaked.length}`);
  for (const [m, why] of leaked.slice(0, 10)) console.log(`  ${m}: ${why}`);
  console.log(`${report.totalFrames()} frames in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  for (const c of canaries) c.client.close();
  await server.stop();
  process.exitCode = deaths.length || report.findings.length || leaked.length ? 1 : 0;
}

const replaySpec = process.env.FUZZ_REPLAY;
await (replaySpec ? replayOne(replaySpec) : soak());
// Keep-alive agents and timers of the drivers must not keep the process up.
process.exit(process.exitCode ?? 0);
