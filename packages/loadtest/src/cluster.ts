import { probeBackplane } from './backplane-probe.ts';
import { type RedisProcess, startRedis } from './redis-process.ts';
import { type ServerProcess, startServer } from './server-process.ts';

/**
 * The server side of a load scenario: one production server on its own (the default backplane,
 * in memory, talks to nobody), or several that share their rooms over a redis-server of our own
 * (REDIS_URL), as docs/deploy.md describes. Either way the scenario sees a list of node URLs and
 * the processes whose CPU and memory are the server's cost.
 */
export interface ServerSideProcess {
  /** "server", "node 1", "node 2", "redis". */
  name: string;
  pid: number;
}

export interface Cluster {
  /** Each node's http base URL, in node order. */
  urls: string[];
  /** The nodes, then redis-server when there is one. */
  processes: ServerSideProcess[];
  redis: RedisProcess | undefined;
  /** Which process exited on its own (a crash), with its last output; undefined while all run. */
  crashed(): string | undefined;
  stop(): Promise<void>;
}

export async function startCluster(
  nodes: number,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<Cluster> {
  if (nodes === 1) {
    const server = await startServer(env, nodeArgs);
    return clusterOf([server], undefined);
  }
  const redis = await startRedis();
  const servers: ServerProcess[] = [];
  try {
    // One after the other: each start is short, and a failure then names its node.
    for (let i = 0; i < nodes; i++)
      servers.push(await startServer({ ...env, REDIS_URL: redis.url }, nodeArgs));
    await probeBackplane(servers.map((s) => s.url));
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    await redis.stop();
    throw error;
  }
  return clusterOf(servers, redis);
}

function clusterOf(servers: ServerProcess[], redis: RedisProcess | undefined): Cluster {
  const name = (i: number) => (servers.length === 1 ? 'server' : `node ${i + 1}`);
  return {
    urls: servers.map((s) => s.url),
    processes: [
      ...servers.map((s, i) => ({ name: name(i), pid: s.pid })),
      ...(redis ? [{ name: 'redis', pid: redis.pid }] : []),
    ],
    redis,
    crashed: () => {
      const i = servers.findIndex((s) => s.exited());
      const server = servers[i];
      if (server) return `${name(i)} exited:\n${server.output()}`;
      if (redis?.exited()) return `redis-server exited:\n${redis.output()}`;
      return undefined;
    },
    stop: async () => {
      // The nodes first (each says goodbye for its users over Redis), then Redis.
      await Promise.all(servers.map((s) => s.stop()));
      await redis?.stop();
    },
  };
}
