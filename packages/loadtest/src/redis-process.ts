import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import {
  encodeCommand,
  parseInfo,
  parseReply,
  type RedisTraffic,
  type Reply,
  trafficOf,
} from './redis-wire.ts';
import { freePort } from './server-process.ts';
import { supervise } from './supervised.ts';

/**
 * A redis-server of our own for the multi-node scenario: on a free loopback port, nothing saved
 * to disk, started fresh for each run (so no run inherits another's keys or channels) and
 * stopped afterwards. The binary is `redis-server` from PATH, or $REDIS_SERVER.
 */
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 2000;

export interface RedisProcess {
  pid: number;
  /** redis://127.0.0.1:<port>, for the nodes' REDIS_URL. */
  url: string;
  /** Traffic counters since it started (read with INFO). */
  traffic(): Promise<RedisTraffic>;
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Sends one command on a fresh connection and returns its reply (bounded by a timeout). */
export function redisCommand(port: number, args: readonly string[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST);
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (error: Error | undefined, reply?: Reply) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else if (reply) resolve(reply);
    };
    const timer = setTimeout(
      () => finish(new Error(`no answer to ${args[0]} within ${COMMAND_TIMEOUT_MS} ms`)),
      COMMAND_TIMEOUT_MS,
    );
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error(`connection closed before the ${args[0]} reply`)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const reply = parseReply(received);
      if (reply) finish(undefined, reply);
    });
    socket.write(encodeCommand(args));
  });
}

export async function startRedis(): Promise<RedisProcess> {
  const binary = process.env.REDIS_SERVER ?? 'redis-server';
  const port = await freePort();
  const child = spawn(
    binary,
    // Loopback only, no snapshots, no append-only file: a scratch server that writes nothing.
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const proc = supervise(child);

  try {
    await waitReady(port, proc.exited);
  } catch (error) {
    proc.kill();
    const spawnError = proc.spawnError();
    const why = spawnError
      ? `${spawnError.message} (install Redis, or set REDIS_SERVER to the redis-server binary)`
      : (error as Error).message;
    throw new Error(`redis-server did not start: ${why}\n${proc.output()}`);
  }
  if (child.pid === undefined) throw new Error('redis-server has no pid');

  return {
    pid: child.pid,
    url: `redis://${HOST}:${port}`,
    traffic: async () => {
      const reply = await redisCommand(port, ['INFO', 'stats', 'commandstats']);
      if (reply.kind !== 'ok') throw new Error(`INFO failed: ${JSON.stringify(reply)}`);
      return trafficOf(parseInfo(reply.value));
    },
    output: proc.output,
    exited: proc.exited,
    stop: proc.stop,
  };
}

async function waitReady(port: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('it exited');
    try {
      const reply = await redisCommand(port, ['PING']);
      if (reply.kind === 'ok' && reply.value === 'PONG') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no PONG from port ${port} within ${READY_TIMEOUT_MS} ms`);
}
