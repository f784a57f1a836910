import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../child-server.ts';

/**
 * A real 3-master Redis Cluster on free loopback ports, for the sharded pub/sub tests. Each
 * redis-server gets a free client port and a free cluster-bus port (Redis 7's `cluster-port`,
 * so we do not rely on port + 10000 being free), then `redis-cli --cluster create` assigns the
 * slots. No fallback: if it cannot start, the tests fail and say why.
 */
export interface RedisCluster {
  /** host:port of every master, as REDIS_CLUSTER takes them. */
  nodes: string[];
  stop(): Promise<void>;
}

function cli(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 20_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  for (const bin of ['redis-server', 'redis-cli']) {
    if (spawnSync(bin, ['--version']).status !== 0) {
      throw new Error(
        `${bin} is not installed, and the Redis Cluster test needs a real cluster. ` +
          'Install it (Debian: apt-get install redis-server).',
      );
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'cursorline-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: string[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL'); // only the processes we started, by their handle
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      const busPort = await freePort();
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--cluster-port',
          String(busPort),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      nodes.push(`127.0.0.1:${port}`);
    }
    const deadline = Date.now() + 15_000;
    for (const node of nodes) {
      const port = node.split(':')[1] ?? '';
      while (!cli(['-p', port, 'ping']).out.includes('PONG')) {
        if (Date.now() > deadline) throw new Error(`redis-server did not start on ${node}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const created = cli([
      '--cluster',
      'create',
      ...nodes,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    if (!created.ok) throw new Error(`redis-cli --cluster create failed:\n${created.out}`);
    for (const node of nodes) {
      const port = node.split(':')[1] ?? '';
      while (!cli(['-p', port, 'cluster', 'info']).out.includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error(`the cluster did not become ready (${node})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stop();
    throw new Error(`could not start a ${masters}-master Redis Cluster: ${(err as Error).message}`);
  }
  return { nodes, stop };
}
