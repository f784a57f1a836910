import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../child-server.ts';

/**
 * A real redis-server on a free loopback port, for the scale-out tests. There is no fallback:
 * without redis-server the tests fail and say how to get it.
 */
export interface RedisProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Start again on the same port (after stop()). */
  restart(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<RedisProcess> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      'redis-server is not installed, and the Redis scale-out tests need a real one. ' +
        'Install it (Debian: apt-get install redis-server; `pnpm test` does this as root).',
    );
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      const exited = new Promise((r) => child?.once('exit', r));
      child?.kill('SIGKILL');
      await exited;
    },
    restart: launch,
  };
}
