import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port the OS says is free now (there is a small race until the program binds it). */
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

/** One program we started: stopped by its own PID, never by name. */
export interface Proc {
  name: string;
  pid: number;
  alive(): boolean;
  /** Resolves with the exit code once it has gone; SIGKILL after 5 s if it has not. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Its stderr so far, for failure messages. */
  log(): string;
}

export function start(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; uid?: number; gid?: number } = {},
): Proc {
  // Its own process group, so stop() reaches everything it forked too (nginx's workers would
  // otherwise outlive a master that had to be killed).
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    uid: options.uid,
    gid: options.gid,
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${command}`);
  return {
    name,
    pid,
    alive: () => !exited,
    stop: async (signal = 'SIGTERM') => {
      if (!exited) process.kill(pid, signal);
      const killer = setTimeout(() => !exited && process.kill(pid, 'SIGKILL'), 5000);
      const code = await exit;
      clearTimeout(killer);
      // Whatever it left behind in its group (a worker whose master was killed) goes too.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // No such group any more: nothing was left.
      }
      return code;
    },
    log: () => stderr,
  };
}

/** Waits until `url` answers `status` (any answer when status is omitted), bounded in time. */
export async function waitForHttp(url: string, proc: Proc, status?: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!proc.alive()) throw new Error(`${proc.name} exited: ${proc.log()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (status === undefined || res.status === status) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${proc.name}: ${url} did not answer in 20 s: ${proc.log()}`);
}

/** Waits until something accepts TCP connections on the port. */
export async function waitForPort(port: number, proc: Proc): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!proc.alive()) throw new Error(`${proc.name} exited: ${proc.log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${proc.name}: port ${port} not open in 20 s: ${proc.log()}`);
}
