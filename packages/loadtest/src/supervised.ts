import type { ChildProcess } from 'node:child_process';

const STOP_TIMEOUT_MS = 5000;

/** A child process the bench started: its recent output, whether it ended, and how to stop it. */
export interface Supervised {
  /** The last 4,000 characters it printed. */
  output(): string;
  exited(): boolean;
  /** Why it could not even start (ENOENT and the like), if so. */
  spawnError(): Error | undefined;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it is gone. */
  stop(): Promise<void>;
  /** At once, for a child that failed to start. */
  kill(): void;
}

export function supervise(child: ChildProcess): Supervised {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // ENOENT and the like: 'exit' never comes, 'error' does.
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  void exit.then(() => {
    exited = true;
  });
  // If the benchmark dies, what it started must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  return {
    output: () => output,
    exited: () => exited,
    spawnError: () => spawnError,
    kill: () => {
      process.removeListener('exit', killOnExit);
      child.kill('SIGKILL');
    },
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    },
  };
}
