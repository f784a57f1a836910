import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

/**
 * The real server in its own process, for tests that measure its memory and file descriptors
 * or must survive its crash: what the test process does cannot blur those numbers.
 */
export interface ChildServer {
  url: string;
  port: number;
  pid: number;
  /** Resident memory in KiB. */
  rssKiB(): number;
  openFds(): number;
  /** True while the process is alive (a crash shows up as false). */
  alive(): boolean;
  /** Heap in use after a full garbage collection, via the inspector (so garbage is not counted). */
  heapAfterGcBytes(): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const serverDir = fileURLToPath(new URL('..', import.meta.url));

// Servers this process started and has not seen exit. If this process ends first (a script
// interrupted by Ctrl+C or a timeout), they go with it instead of serving on as orphans.
const running = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startChildServer(
  env: Record<string, string> = {},
  port?: number,
): Promise<ChildServer> {
  const chosen = port ?? (await freePort());
  // The inspector lets the test force a garbage collection before reading the heap.
  const child = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: serverDir,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(chosen), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let inspectorUrl = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    inspectorUrl ||= /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(text)?.[0] ?? '';
    if (!/Debugger|For help|inspector/.test(text)) process.stderr.write(text);
  });
  running.add(child);
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      running.delete(child);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error('server exited during start-up');
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server did not start');
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid ?? 0;
  return {
    url,
    port: chosen,
    pid,
    rssKiB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    },
    openFds: () => readdirSync(`/proc/${pid}/fd`).length,
    alive: () => !exited,
    heapAfterGcBytes: () => heapAfterGc(inspectorUrl),
    stop: (signal = 'SIGTERM') => {
      if (!exited) child.kill(signal);
      return exit;
    },
  };
}

/** Asks the child's V8 for a full GC, then for its heap usage, over the inspector protocol. */
async function heapAfterGc(inspectorUrl: string): Promise<number> {
  const ws = new WebSocket(inspectorUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const mine = ++id;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as {
          id?: number;
          result?: Record<string, unknown>;
        };
        if (reply.id !== mine) return;
        ws.off('message', onMessage);
        resolve(reply.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: mine, method }));
    });
  await call('HeapProfiler.enable');
  await call('HeapProfiler.collectGarbage');
  const usage = await call('Runtime.getHeapUsage');
  ws.close();
  return Number(usage.usedSize);
}
