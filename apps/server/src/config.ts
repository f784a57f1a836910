import { LIMITS, PRESENCE_WRITE_RATE, RoomSchema, TRANSPORT_NAMES } from '@cursorline/protocol';
import { z } from 'zod';

export type { TransportName } from '@cursorline/protocol';

/** Everything a server instance can be told. main.ts builds it from the environment. */
export interface ServerConfig {
  port: number;
  host: string;
  /**
   * Which transports to serve, by name (transports/registry.ts); all share the rooms. The
   * environment offers the shipped ones (TRANSPORTS in the protocol package).
   */
  transports: readonly string[];
  /** Exact browser origins allowed besides the server's own (same-origin is always allowed). */
  allowedOrigins: readonly string[];
  /** How often a room flushes cursor changes. See README for why 40 ms. */
  tickMs: number;
  /**
   * `tick` batches moves per room per tick (the design). `per-move` forwards every move to every
   * other user at once, like the tutorial this project descends from: kept for the benchmark.
   */
  fanout: 'tick' | 'per-move';
  /**
   * Interest: at most this many cursors reach a recipient at full rate (every tick); the rest of
   * the room comes every lowRateMs. 80 keeps a room of 1,000 all moving under 25 KB/s of cursor
   * data per recipient (80 × 8 bytes × 25 ticks + 920 × 8 bytes a second, less by lowRateBudget);
   * lowRateBudget keeps bigger rooms there too.
   */
  interestK: number;
  /** The low rate: the whole room's cursor changes, idle recipients' cursors, big rooms' presence. */
  lowRateMs: number;
  /**
   * At most this many low-rate cursors reach a recipient per second. In a room where more people
   * move than this (beyond the K at full rate), the low rate slows down instead, so a recipient's
   * downlink stays bounded whatever the room's size: 80 × 8 × 25 + 800 × 8 ≈ 22.4 KB/s of cursor
   * data. 800 still refreshes the rest of a room of 1,000 movers every ~1.15 s.
   */
  lowRateBudget: number;
  /** Rooms with more users than this get a bounded snapshot and low-rate, bounded presence frames. */
  snapshotUsers: number;
  /** A recipient with more than this queued is skipped this tick (it gets the newest state later). */
  softBufferBytes: number;
  /** A recipient with more than this queued is disconnected (1013). */
  hardBufferBytes: number;
  /** A recipient over the soft limit for longer than this is disconnected (1013). */
  maxBehindMs: number;
  /** A dropped user is kept (shown offline) this long for their connection to come back. */
  resumeGraceMs: number;
  /** Inbound messages per connection: steady rate and burst (token bucket). */
  rateLimitPerSec: number;
  rateLimitBurst: number;
  /** Server pings every ws connection this often and drops one that has not answered within the timeout. */
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  /** Connections refused beyond these (ws: HTTP 503 before the upgrade; SockJS: close 1013). */
  maxConnections: number;
  maxConnectionsPerIp: number;
  /**
   * Open TCP sockets per address, whatever they are doing (idle keep-alive, half-sent headers,
   * SockJS's polling requests): beyond this a new socket is closed at once.
   */
  maxSocketsPerIp: number | null;
  /**
   * Seats one address may hold, counting those kept for a dropped user to resume (1013).
   * null: the same as maxConnectionsPerIp; for sockets, twice that plus 16 (SockJS's HTTP
   * transports use two sockets per session, browsers keep a few idle ones).
   */
  maxSeatsPerIp: number | null;
  /** Users in one room (4004 room full). */
  maxRoomUsers: number;
  /** New rooms one address may create per minute (4005 slow down). */
  maxNewRoomsPerMin: number;
  /** Name, state, pointer and view writes per connection: steady rate and burst (4005 when flooded). */
  presenceRatePerSec: number;
  presenceBurst: number;
  /** A client must send its request headers within this, and the whole request within the next. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Serve Prometheus metrics (see metricsPublic, metricsToken, metricsPort). */
  metrics: boolean;
  /** Answer /metrics on the public port without a token (default only outside production). */
  metricsPublic: boolean;
  /** With a token, /metrics on the public port answers `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** A separate listener that serves only /metrics, e.g. on a private interface. */
  metricsPort: number | null;
  metricsHost: string;
  /** Redis for rooms that span several nodes; null keeps everything in this process. */
  redisUrl: string | null;
  /** Redis Cluster nodes (host:port) for sharded pub/sub instead of one Redis; wins over redisUrl. */
  redisCluster: readonly string[] | null;
  /** A connection that has not said hello by then is closed (4002). */
  helloTimeoutMs: number;
  maxMessageBytes: number;
  /** Built web app to serve (production); null serves nothing but the API. */
  staticDir: string | null;
  logLevel: string;
  /**
   * On SIGTERM, how long /readyz fails while the node still serves, before its clients are
   * closed: at least two health-check intervals of the balancer (deploy/haproxy.cfg: 1 s, fall 2).
   */
  drainMs: number;
  /** Server-side ambient users per demo room (DEMO_ROOMS); 0 turns the demo mode off. */
  demoBots: number;
  demoRooms: readonly string[];
}

export const defaultConfig: ServerConfig = {
  port: 8787,
  host: '0.0.0.0',
  transports: TRANSPORT_NAMES,
  allowedOrigins: [],
  tickMs: 40,
  fanout: 'tick',
  interestK: 80,
  lowRateMs: 1000,
  lowRateBudget: 800,
  snapshotUsers: 200,
  softBufferBytes: 64 * 1024,
  hardBufferBytes: 1024 * 1024,
  maxBehindMs: 10_000,
  resumeGraceMs: 10_000,
  rateLimitPerSec: 60,
  rateLimitBurst: 120,
  heartbeatMs: 25_000,
  heartbeatTimeoutMs: 10_000,
  maxConnections: 10_000,
  maxConnectionsPerIp: 100,
  maxSocketsPerIp: null,
  maxSeatsPerIp: null,
  maxRoomUsers: 2000,
  maxNewRoomsPerMin: 30,
  presenceRatePerSec: PRESENCE_WRITE_RATE.perSec,
  presenceBurst: PRESENCE_WRITE_RATE.burst,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  metrics: true,
  metricsPublic: true,
  metricsToken: null,
  metricsPort: null,
  metricsHost: '127.0.0.1',
  redisUrl: null,
  redisCluster: null,
  helloTimeoutMs: 10_000,
  maxMessageBytes: LIMITS.maxMessageBytes,
  staticDir: null,
  logLevel: 'info',
  drainMs: 5000,
  demoBots: 0,
  demoRooms: ['demo'],
};

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);
const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).optional(),
  TRANSPORTS: list.pipe(z.array(z.enum(TRANSPORT_NAMES)).min(1)).optional(),
  ALLOWED_ORIGINS: list.optional(),
  TICK_MS: positiveInt.optional(),
  FANOUT: z.enum(['tick', 'per-move']).optional(),
  INTEREST_K: positiveInt.optional(),
  LOW_RATE_MS: positiveInt.optional(),
  LOW_RATE_BUDGET: positiveInt.optional(),
  SNAPSHOT_USERS: positiveInt.optional(),
  SOFT_BUFFER_BYTES: positiveInt.optional(),
  HARD_BUFFER_BYTES: positiveInt.optional(),
  MAX_BEHIND_MS: positiveInt.optional(),
  RESUME_GRACE_MS: z.coerce.number().int().min(0).optional(),
  RATE_LIMIT: positiveInt.optional(),
  RATE_BURST: positiveInt.optional(),
  HEARTBEAT_MS: positiveInt.optional(),
  HEARTBEAT_TIMEOUT_MS: positiveInt.optional(),
  MAX_CONNECTIONS: positiveInt.optional(),
  MAX_CONNECTIONS_PER_IP: positiveInt.optional(),
  MAX_SOCKETS_PER_IP: positiveInt.optional(),
  MAX_SEATS_PER_IP: positiveInt.optional(),
  MAX_ROOM_USERS: positiveInt.optional(),
  MAX_NEW_ROOMS_PER_MIN: positiveInt.optional(),
  PRESENCE_RATE: positiveInt.optional(),
  PRESENCE_BURST: positiveInt.optional(),
  HEADERS_TIMEOUT_MS: positiveInt.optional(),
  REQUEST_TIMEOUT_MS: positiveInt.optional(),
  METRICS: z.enum(['on', 'off']).optional(),
  METRICS_PUBLIC: z.enum(['on', 'off']).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_CLUSTER: list
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port,host:port,…')).min(1))
    .optional(),
  HELLO_TIMEOUT_MS: positiveInt.optional(),
  MAX_MESSAGE_BYTES: positiveInt.optional(),
  STATIC_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  DRAIN_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  DEMO_BOTS: z.coerce.number().int().min(0).max(50).optional(),
  DEMO_ROOMS: list.pipe(z.array(RoomSchema).min(1)).optional(),
});

/** Every environment variable the server reads (the README's configuration table lists them all). */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

/** Reads the documented environment variables; a bad value stops start-up with a clear message. */
export function configFromEnv(
  env: NodeJS.ProcessEnv,
  base: ServerConfig = defaultConfig,
): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bad environment variable ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT ?? base.port,
    host: e.HOST ?? base.host,
    transports: e.TRANSPORTS ?? base.transports,
    allowedOrigins: e.ALLOWED_ORIGINS ?? base.allowedOrigins,
    tickMs: e.TICK_MS ?? base.tickMs,
    fanout: e.FANOUT ?? base.fanout,
    interestK: e.INTEREST_K ?? base.interestK,
    lowRateMs: e.LOW_RATE_MS ?? base.lowRateMs,
    lowRateBudget: e.LOW_RATE_BUDGET ?? base.lowRateBudget,
    snapshotUsers: e.SNAPSHOT_USERS ?? base.snapshotUsers,
    softBufferBytes: e.SOFT_BUFFER_BYTES ?? base.softBufferBytes,
    hardBufferBytes: e.HARD_BUFFER_BYTES ?? base.hardBufferBytes,
    maxBehindMs: e.MAX_BEHIND_MS ?? base.maxBehindMs,
    resumeGraceMs: e.RESUME_GRACE_MS ?? base.resumeGraceMs,
    rateLimitPerSec: e.RATE_LIMIT ?? base.rateLimitPerSec,
    rateLimitBurst: e.RATE_BURST ?? base.rateLimitBurst,
    heartbeatMs: e.HEARTBEAT_MS ?? base.heartbeatMs,
    heartbeatTimeoutMs: e.HEARTBEAT_TIMEOUT_MS ?? base.heartbeatTimeoutMs,
    maxConnections: e.MAX_CONNECTIONS ?? base.maxConnections,
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP ?? base.maxConnectionsPerIp,
    maxSocketsPerIp: e.MAX_SOCKETS_PER_IP ?? base.maxSocketsPerIp,
    maxSeatsPerIp: e.MAX_SEATS_PER_IP ?? base.maxSeatsPerIp,
    maxRoomUsers: e.MAX_ROOM_USERS ?? base.maxRoomUsers,
    maxNewRoomsPerMin: e.MAX_NEW_ROOMS_PER_MIN ?? base.maxNewRoomsPerMin,
    presenceRatePerSec: e.PRESENCE_RATE ?? base.presenceRatePerSec,
    presenceBurst: e.PRESENCE_BURST ?? base.presenceBurst,
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS ?? base.headersTimeoutMs,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS ?? base.requestTimeoutMs,
    metrics: e.METRICS === undefined ? base.metrics : e.METRICS === 'on',
    metricsPublic: e.METRICS_PUBLIC === undefined ? base.metricsPublic : e.METRICS_PUBLIC === 'on',
    metricsToken: e.METRICS_TOKEN ?? base.metricsToken,
    metricsPort: e.METRICS_PORT ?? base.metricsPort,
    metricsHost: e.METRICS_HOST ?? base.metricsHost,
    redisUrl: e.REDIS_URL ?? base.redisUrl,
    redisCluster: e.REDIS_CLUSTER ?? base.redisCluster,
    helloTimeoutMs: e.HELLO_TIMEOUT_MS ?? base.helloTimeoutMs,
    maxMessageBytes: e.MAX_MESSAGE_BYTES ?? base.maxMessageBytes,
    staticDir: e.STATIC_DIR ?? base.staticDir,
    logLevel: e.LOG_LEVEL ?? base.logLevel,
    drainMs: e.DRAIN_MS ?? base.drainMs,
    demoBots: e.DEMO_BOTS ?? base.demoBots,
    demoRooms: e.DEMO_ROOMS ?? base.demoRooms,
  };
}

/** The per-address caps that follow maxConnectionsPerIp unless set on their own. */
export function addressLimits(config: ServerConfig): { seats: number; sockets: number } {
  return {
    seats: config.maxSeatsPerIp ?? config.maxConnectionsPerIp,
    sockets: config.maxSocketsPerIp ?? config.maxConnectionsPerIp * 2 + 16,
  };
}
