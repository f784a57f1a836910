import type { Random } from './rng.ts';
import { SimUser, type Transport } from './sim-user.ts';
import type { World } from './world.ts';

export interface PopulationSpec {
  /** Each node's http base URL; users alternate between them (user i on node i mod n). */
  urls: readonly string[];
  users: number;
  /** Users per room; the last room may be smaller. */
  roomSize: number;
  transport: Transport;
  observers: number;
  moving: boolean;
  /**
   * An audience: only the first `active` users move; the others are passive, alternately idle
   * and away (tab hidden), and never observers.
   */
  active?: number;
  /** Users that must not be observers (e.g. the ones that will stall). */
  notObservers?: ReadonlySet<number>;
}

export interface Population {
  users: SimUser[];
  observers: SimUser[];
  /** Room name → its members, for the freshness sampler. */
  rooms: Map<string, SimUser[]>;
  connectSeconds: number;
}

/** Connections opened at once: enough to ramp 1,000 users in seconds, few enough not to overflow accept queues. */
const CONNECT_CONCURRENCY = 50;

export function roomName(index: number, roomSize: number): string {
  return `bench-${Math.floor(index / roomSize)}`;
}

/** Users alternate between nodes, so every room has as many on each node (give or take one). */
export function nodeOf(index: number, nodes: number): number {
  return index % nodes;
}

/**
 * Which users observe: `count` of them spread evenly over the population (so with rooms of 20
 * they land in different rooms), never one of the excluded ones. With several nodes they also
 * take turns between the nodes (observer j on node j mod n, the candidate nearest its even
 * spot), so every node has observers and each measures same-node and cross-node pairs.
 */
export function pickObservers(
  users: number,
  count: number,
  excluded: ReadonlySet<number> = new Set(),
  nodes = 1,
): Set<number> {
  const candidates: number[] = [];
  for (let i = 0; i < users; i++) if (!excluded.has(i)) candidates.push(i);
  const wanted = Math.min(count, candidates.length);
  const picked = new Set<number>();
  for (let j = 0; j < wanted; j++) {
    const spot = Math.floor(((j + 0.5) * candidates.length) / wanted);
    const free = (i: number) => !picked.has(i);
    const chosen =
      nearest(candidates, spot, (i) => free(i) && nodeOf(i, nodes) === j % nodes) ??
      nearest(candidates, spot, free);
    if (chosen !== undefined) picked.add(chosen);
  }
  return picked;
}

/** The entry nearest `spot` (looking at spot, spot + 1, spot − 1, spot + 2, …) that passes `ok`. */
function nearest(
  list: readonly number[],
  spot: number,
  ok: (value: number) => boolean,
): number | undefined {
  for (let d = 0; d < list.length; d++) {
    for (const at of d === 0 ? [spot] : [spot + d, spot - d]) {
      const value = list[at];
      if (value !== undefined && ok(value)) return value;
    }
  }
  return undefined;
}

/**
 * Which users one thread plays: all of them, only the observers (the main thread, which
 * measures), or only the others (the crowd, in its worker thread: see crowd.ts).
 */
export type Part = 'all' | 'observers' | 'crowd';

/** Opens every user's connection, a few dozen at a time, and waits until all are welcomed. */
export async function connectPopulation(
  spec: PopulationSpec,
  world: World,
  random: Random,
  part: Part = 'all',
): Promise<Population> {
  const started = performance.now();
  const nodes = spec.urls.length;
  if (nodes === 0) throw new Error('no server URL to connect to');
  const active = spec.active ?? spec.users;
  const excluded = new Set(spec.notObservers);
  for (let i = active; i < spec.users; i++) excluded.add(i);
  // Deterministic (no randomness), so both threads agree on who observes without asking.
  const observerSet = pickObservers(spec.users, spec.observers, excluded, nodes);
  const indexes: number[] = [];
  for (let i = 0; i < spec.users; i++)
    if (part === 'all' || (part === 'observers') === observerSet.has(i)) indexes.push(i);
  const users: SimUser[] = [];
  for (let first = 0; first < indexes.length; first += CONNECT_CONCURRENCY) {
    const wave: Promise<SimUser>[] = [];
    for (const i of indexes.slice(first, first + CONNECT_CONCURRENCY)) {
      wave.push(
        SimUser.connect({
          index: i,
          url: spec.urls[nodeOf(i, nodes)] ?? '', // always defined: nodes > 0
          node: nodeOf(i, nodes),
          room: roomName(i, spec.roomSize),
          transport: spec.transport,
          observer: observerSet.has(i),
          moving: spec.moving && i < active,
          ...(i >= active ? { state: i % 2 ? ('idle' as const) : ('away' as const) } : {}),
          world,
          random,
        }),
      );
    }
    const settled = await Promise.allSettled(wave);
    for (const result of settled) if (result.status === 'fulfilled') users.push(result.value);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      for (const user of users) user.terminate();
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
  }
  return {
    users,
    observers: users.filter((u) => u.observer),
    rooms: groupByRoom(users),
    connectSeconds: (performance.now() - started) / 1000,
  };
}

/** Room name → its members, in the order given. */
export function groupByRoom<T extends { readonly room: string }>(
  users: readonly T[],
): Map<string, T[]> {
  const rooms = new Map<string, T[]>();
  for (const user of users) {
    const members = rooms.get(user.room) ?? [];
    members.push(user);
    rooms.set(user.room, members);
  }
  return rooms;
}
