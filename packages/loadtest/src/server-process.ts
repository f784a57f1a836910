import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { supervise } from './supervised.ts';

/**
 * The production server as a child process: the very bundle `pnpm start` runs, started fresh for
 * each scenario so no scenario inherits another's memory or rooms.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_MAIN = `${REPO_ROOT}apps/server/dist/main.js`;
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;

/**
 * Settings every benchmark server gets. All simulated users come from 127.0.0.1, where real
 * users would come from as many addresses, so the per-address caps must not apply;
 * a server that does not know these variables ignores them.
 */
const BENCH_ENV = {
  LOG_LEVEL: 'warn',
  MAX_CONNECTIONS: '100000',
  MAX_CONNECTIONS_PER_IP: '100000',
  // The same for the per-address caps on new rooms and the whole-room cap.
  MAX_NEW_ROOMS_PER_MIN: '100000',
  MAX_ROOM_USERS: '100000',
  // The bench stops each server with SIGTERM and kills it after 5 s (supervised.ts). With the
  // default 5 s drain it was always killed, so `--profile` never got the profile that node
  // writes on a clean exit. No scenario measures the drain.
  DRAIN_MS: '0',
};

export interface ServerProcess {
  pid: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** The last lines the server printed (warnings and errors only, at LOG_LEVEL=warn). */
  output(): string;
  /** Whether it exited on its own (a crash) before stop(). */
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * The server does not report the port it bound when given PORT=0, so we pick one ourselves: bind
 * port 0, read what the kernel chose, release it. (Another process could take it in between;
 * on a benchmark machine that is rare, and the readiness check would then fail loudly.)
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `nodeArgs` go to node itself, e.g. --cpu-prof or --inspect for diagnosis. */
export async function startServer(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  if (!existsSync(SERVER_MAIN)) {
    throw new Error(
      `${SERVER_MAIN} is missing: run "pnpm --filter @cursorline/server build" first`,
    );
  }
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...BENCH_ENV, HOST, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = supervise(child);

  const url = `http://${HOST}:${port}`;
  try {
    await waitReady(url, proc.exited);
  } catch (error) {
    proc.kill();
    throw new Error(`server did not start: ${(error as Error).message}\n${proc.output()}`);
  }
  if (child.pid === undefined) throw new Error('server has no pid');

  return {
    pid: child.pid,
    url,
    output: proc.output,
    exited: proc.exited,
    stop: proc.stop,
  };
}

async function waitReady(url: string, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('it exited');
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer from ${url}/healthz within ${READY_TIMEOUT_MS} ms`);
}
