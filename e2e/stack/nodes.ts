import { fileURLToPath } from 'node:url';
import { freePort, type Proc, start, waitForHttp, waitForPort } from './processes.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A real redis-server of our own on a free port, nothing saved. */
export async function startRedis(): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const proc = start('redis', 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await stopIfNot(proc, waitForPort(port, proc));
  return { proc, url: `redis://127.0.0.1:${port}` };
}

export interface Node {
  proc: Proc;
  port: number;
  url: string;
}

/** A production node (the built bundle, `pnpm start`'s command) sharing rooms through Redis. */
export async function startNode(
  redisUrl: string,
  env: Record<string, string> = {},
  port?: number,
): Promise<Node> {
  port ??= await freePort();
  const proc = start('node', process.execPath, ['apps/server/dist/main.js'], {
    cwd: repoRoot,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await stopIfNot(proc, waitForHttp(`${url}/readyz`, proc, 200));
  return { proc, port, url };
}

/** A program that never came up is stopped before the error goes on, so nothing is left running. */
async function stopIfNot(proc: Proc, ready: Promise<void>): Promise<void> {
  try {
    await ready;
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
