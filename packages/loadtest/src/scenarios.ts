import type { IdleScenario } from './idle-scenario.ts';
import type { LoadScenario } from './load-scenario.ts';
import type { StalledScenario } from './stalled-scenario.ts';

/**
 * What `pnpm bench` runs. Each group answers one question; the default set finishes in a few
 * minutes on a 2-core machine, `--quick` is a smoke run of every group in under a minute.
 */
export const GROUPS = [
  'one-room',
  'sockjs',
  'rooms',
  'per-move',
  'idle',
  'stalled',
  'nodes',
  'crowd',
  'crowd-nodes',
  'audience',
] as const;
export type Group = (typeof GROUPS)[number];

export const GROUP_HELP: Record<Group, string> = {
  'one-room': 'a) one room at 30 Hz, growing to 500 users, ws, tick fan-out',
  sockjs: 'b) the same at its largest size over SockJS (websocket transport)',
  rooms: 'c) 1,000 users in rooms of 20 at 30 Hz, ws',
  'per-move': "d) the tutorial's per-move fan-out next to tick, growing until it collapses",
  idle: 'e) server memory per idle connection (ws and SockJS)',
  stalled: 'f) 10 clients stop reading in a busy room',
  nodes: 'g) one room split over two nodes sharing Redis, next to one node: the backplane cost',
  crowd: 'h) one room of 1,000 all moving at 25 Hz: interest management (bytes per recipient)',
  'crowd-nodes':
    'i) one room of 2,000 split over two nodes (1,000 moving at 25 Hz, then all): cross-node vs same-node',
  audience: 'j) one room of 10,000 connected, 1,000 moving at 25 Hz, the rest idle or hidden',
};

/** The crowd groups move at the server's tick rate (25 Hz), as the interest targets say. */
export const CROWD_HZ = 25;

export interface PlanOptions {
  quick: boolean;
  /** Measured window per load scenario (s). */
  measureS: number;
  warmupS: number;
  observers: number;
  /** Room sizes for the one-room and per-move groups, instead of the defaults. */
  sizes?: number[];
  /** Room sizes for the nodes group, instead of the defaults. */
  nodeSizes?: number[];
  /** Moves per second per user in the nodes group (default RATE_HZ). */
  nodeRate?: number;
  /** Also run the nodes comparison with many rooms of 20. */
  nodeRooms?: boolean;
}

/** One comparison of the nodes group: the same users on one server, then on NODES nodes. */
export interface NodesComparison {
  users: number;
  roomSize: number;
  rate: number;
}

/** Server processes in the multi-node runs (users alternate between them). */
export const NODES = 2;

export interface Plan {
  oneRoomSizes: number[];
  sockjsSize: number;
  rooms: { users: number; roomSize: number };
  perMoveSizes: number[];
  idleUsers: number;
  stalled: StalledScenario[];
  nodes: NodesComparison[];
  crowdSize: number;
  /**
   * The room of 2,000 over two nodes, measured twice: with `active` of them moving (what the
   * cross-node target is judged on), then with everyone moving (the bytes target). All 2,000 at
   * 25 Hz is 50,000 moves a second, more than the generator can send on this machine next to two
   * servers and Redis (docs/benchmark.md); 1,000 is what it can, and still a crowd (K is 80).
   */
  crowdNodes: { users: number; active: number };
  audience: { users: number; active: number };
}

export const RATE_HZ = 30;
export const ROOM_OF = 20;

export function makePlan(options: PlanOptions): Plan {
  const { quick } = options;
  return {
    oneRoomSizes: options.sizes ?? (quick ? [50] : [50, 100, 250, 500]),
    sockjsSize: quick ? 50 : 500,
    rooms: { users: quick ? 100 : 1000, roomSize: ROOM_OF },
    perMoveSizes: options.sizes ?? (quick ? [50] : [50, 100, 250, 500]),
    idleUsers: quick ? 100 : 1000,
    nodes: nodesPlan(options),
    crowdSize: quick ? 100 : 1000,
    crowdNodes: quick ? { users: 200, active: 100 } : { users: 2000, active: 1000 },
    audience: quick ? { users: 500, active: 50 } : { users: 10_000, active: 1000 },
    stalled: [
      stalledScenario('', 'server defaults (heartbeat on)', () => ({}), options),
      // Without the heartbeat, which would end a client that stops reading before the queue
      // limits are reached, the backpressure path (skip, then 1013) is what frees them. That path
      // only starts once the kernel's socket buffers are full, and with interest (protocol v3) a
      // stalled client of a room of 500 is sent ~20 KB/s (K cursors at full rate, the rest once a
      // second), which loopback's buffers (up to 4 MiB on the server's side, plus what the
      // client's receive buffer grew to) absorb for minutes: no limit was reached in the 120 s
      // window. So this run sends every recipient every cursor at full rate (INTEREST_K = the
      // room), ~100 KB/s as under protocol v2, which fills them within a minute, as designed.
      stalledScenario(
        '/no-heartbeat',
        'server heartbeat off, INTEREST_K = room size (every cursor at full rate, so the kernel buffers fill within the window)',
        (users) => ({ HEARTBEAT_MS: '3600000', INTEREST_K: String(users) }),
        options,
      ),
    ],
  };
}

function nodesPlan(options: PlanOptions): NodesComparison[] {
  const rate = options.nodeRate ?? RATE_HZ;
  const sizes = options.nodeSizes ?? (options.quick ? [50] : [100, 500]);
  const plan = sizes.map((users) => ({ users, roomSize: users, rate }));
  if (options.nodeRooms) plan.push({ users: options.quick ? 100 : 1000, roomSize: ROOM_OF, rate });
  return plan;
}

function stalledScenario(
  suffix: string,
  label: string,
  env: (users: number) => Record<string, string>,
  options: PlanOptions,
): StalledScenario {
  const { quick } = options;
  // Big enough that, with every cursor at full rate, a stalled client's kernel buffers (several
  // MiB on loopback) fill within a minute, so the server's own limits come into play before the
  // stall ends.
  const users = quick ? 100 : 500;
  return {
    key: `stalled/ws/tick${suffix}`,
    group: 'stalled',
    label,
    env: env(users),
    users,
    stalled: quick ? 2 : 10,
    rate: RATE_HZ,
    observers: options.observers,
    warmupS: options.warmupS,
    baselineS: quick ? 2 : 15,
    maxStallS: quick ? 4 : 120,
    afterS: 5,
  };
}

export function loadScenario(
  group: Group,
  users: number,
  roomSize: number,
  transport: LoadScenario['transport'],
  fanout: LoadScenario['fanout'],
  options: PlanOptions,
  nodes = 1,
  rate = RATE_HZ,
): LoadScenario {
  return {
    key: loadKey(users, roomSize, transport, fanout, nodes, rate),
    group,
    users,
    roomSize,
    rate,
    transport,
    fanout,
    nodes,
    observers: options.observers,
    warmupS: options.warmupS,
    measureS: options.measureS,
    stopOnCollapse: fanout === 'per-move',
  };
}

/**
 * "one-room/ws/tick/500"; other node counts and rates say so ("2-nodes/one-room/ws/tick/500",
 * "…/500@20hz"), so a result is only ever reused, or judged against a target, for the very
 * configuration it measured.
 */
export function loadKey(
  users: number,
  roomSize: number,
  transport: LoadScenario['transport'],
  fanout: LoadScenario['fanout'],
  nodes: number,
  rate: number,
): string {
  const rooms = roomSize >= users ? 'one-room' : `rooms-of-${roomSize}`;
  const prefix = nodes > 1 ? `${nodes}-nodes/` : '';
  const suffix = rate === RATE_HZ ? '' : `@${rate}hz`;
  return `${prefix}${rooms}/${transport}/${fanout}/${users}${suffix}`;
}

export function idleScenario(
  users: number,
  transport: IdleScenario['transport'],
  quick: boolean,
): IdleScenario {
  return {
    key: `idle/${transport}/${users}`,
    group: 'idle',
    users,
    roomSize: ROOM_OF,
    transport,
    settleS: quick ? 1 : 5,
  };
}
