import type { LoadResult } from './load-scenario.ts';

/** The same users, rooms and rate measured on one server and on several nodes over Redis. */
export interface NodesPair {
  single: LoadResult;
  multi: LoadResult;
}

export interface BackplaneCost {
  users: number;
  rooms: number;
  /**
   * Cross-node pairs on several nodes minus all pairs on one server: what a move pays for going
   * through Redis (the sender's node publishes on its tick, the other node forwards on its own).
   */
  latencyAddedMs: { p50: number; p99: number };
  /** Same-node pairs on several nodes minus one server: the backplane's work slowing the rest. */
  sameNodeChangeMs: { p50: number; p99: number };
  /** Cross-node freshness minus freshness on one server: how much older a remote cursor looks. */
  freshnessAddedMs: { p50: number; p99: number };
  /** All server processes (every node and redis-server) minus the one server, % of one core. */
  serverCpuAddedPct: number;
  redisCpuPct: number;
}

/** Pure arithmetic on two results; NaN where the multi-node run has no split (it did not run). */
export function backplaneCost({ single, multi }: NodesPair): BackplaneCost {
  const cluster = multi.cluster;
  const cross = cluster?.latencyCrossNodeMs;
  const same = cluster?.latencySameNodeMs;
  const fresh = cluster?.freshnessCrossNodeMs;
  const minus = (a: number | undefined, b: number) => (a === undefined ? Number.NaN : a - b);
  return {
    users: multi.scenario.users,
    rooms: multi.rooms,
    latencyAddedMs: {
      p50: minus(cross?.p50, single.latencyMs.p50),
      p99: minus(cross?.p99, single.latencyMs.p99),
    },
    sameNodeChangeMs: {
      p50: minus(same?.p50, single.latencyMs.p50),
      p99: minus(same?.p99, single.latencyMs.p99),
    },
    freshnessAddedMs: {
      p50: minus(fresh?.p50, single.freshnessMs.p50),
      p99: minus(fresh?.p99, single.freshnessMs.p99),
    },
    serverCpuAddedPct: multi.serverCpuPct - single.serverCpuPct,
    redisCpuPct: cluster?.processes.find((p) => p.name === 'redis')?.cpuPct ?? Number.NaN,
  };
}
