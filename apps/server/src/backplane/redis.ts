import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { Backplane, BackplaneHandlers, NodeEvent, RoomEvent, SeatStore } from './backplane.ts';
import { BACKPLANE_VERSION, encodeEnvelope, Inbox } from './messages.ts';

const CHANNEL = 'cursorline:room:';
/** Node-wide events (NodeEvent), not tied to a room. */
const NODES_CHANNEL = 'cursorline:nodes';
const NODE_KEY = 'cursorline:node:';
/** A dropped user's seat, by resume token, for the grace period (resume on another node). */
const SEAT_KEY = 'cursorline:seat:';
/**
 * A node refreshes its key every REFRESH_MS; it expires after TTL_MS without one. Short, so a
 * dead node's users are shown offline within TTL + CHECK (5 s); a key costs one SET a second.
 */
const REFRESH_MS = 1000;
const TTL_MS = 4000;
/** How often a node checks that every node it has heard from is still alive. */
const CHECK_MS = 1000;
/** How long a resume may wait for a node's Redis connection to come up (a user is waiting). */
const SEAT_WAIT_MS = 1000;

/** Where the backplane lives: one Redis (plain pub/sub), or a Redis Cluster (sharded pub/sub). */
export type RedisTarget = { url: string } | { cluster: readonly string[] };

/** What differs between the two: classic channels or sharded ones (SSUBSCRIBE / SPUBLISH). */
interface PubSub {
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  onMessage(fn: (channel: string, message: string) => void): void;
}

const retryStrategy = (times: number) => Math.min(200 * times, 2000);

function connect(target: RedisTarget): { pub: Redis | Cluster; sub: Redis | Cluster; bus: PubSub } {
  if ('url' in target) {
    // Publishing while Redis is away fails at once instead of queueing: cursor moves are
    // latest-wins, and presence is resynchronised on reconnect.
    const pub = new Redis(target.url, {
      retryStrategy,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const sub = new Redis(target.url, { retryStrategy, maxRetriesPerRequest: null });
    const bus: PubSub = {
      subscribe: (c) => sub.subscribe(c),
      unsubscribe: (c) => sub.unsubscribe(c),
      publish: (c, m) => pub.publish(c, m),
      onMessage: (fn) => sub.on('message', fn),
    };
    return { pub, sub, bus };
  }
  // Sharded pub/sub: a room's channel lives on the shard that owns its slot, so each shard only
  // forwards its own rooms, and only to the nodes subscribed to them. The backplane then grows
  // with the cluster instead of one Redis carrying every room to every node.
  const nodes = target.cluster.map((hostPort) => {
    const [host, port] = hostPort.split(':');
    return { host: host ?? '127.0.0.1', port: Number(port) };
  });
  const clusterRetryStrategy = retryStrategy;
  const pub = new Cluster(nodes, {
    clusterRetryStrategy,
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 0 },
  });
  const sub = new Cluster(nodes, { clusterRetryStrategy, shardedSubscribers: true });
  const bus: PubSub = {
    subscribe: (c) => sub.ssubscribe(c),
    unsubscribe: (c) => sub.sunsubscribe(c),
    publish: (c, m) => pub.spublish(c, m),
    onMessage: (fn) => sub.on('smessage', fn),
  };
  return { pub, sub, bus };
}

/**
 * Redis pub/sub between nodes: one channel per room, and a key per node with a TTL that the node
 * keeps refreshing. A node that dies stops refreshing; within TTL + CHECK (5 s) the others notice
 * and show its users offline, then drop them. ioredis reconnects and resubscribes by itself; when it does, we ask for a
 * resynchronisation so presence converges after an outage.
 *
 * Two connections: a subscribed Redis connection cannot publish or run other commands.
 */
export class RedisBackplane implements Backplane {
  readonly nodeId = randomBytes(4).toString('hex');
  private readonly pub: Redis | Cluster;
  private readonly sub: Redis | Cluster;
  private readonly bus: PubSub;
  private handlers: BackplaneHandlers | undefined;
  /** Nodes we have heard from, and so may hold users of. */
  private readonly peers = new Set<string>();
  /** Nodes we declared dead; if one speaks again (it was only cut off), we ask for its users. */
  private readonly downed = new Set<string>();
  private timers: ReturnType<typeof setInterval>[] = [];
  readonly seats: SeatStore = {
    put: (token, seat, ttlMs) => {
      if (this.pub.status !== 'ready') return;
      this.pub.set(SEAT_KEY + token, encodeEnvelope(seat), 'PX', ttlMs).catch(() => {});
    },
    take: async (token) => {
      // A node that has just started (or is reconnecting) may be asked before its connection is
      // up: wait a moment for it rather than lose a seat that is there. Redis down: no seat.
      if (!(await this.pubReady(SEAT_WAIT_MS))) return null;
      // GETDEL: whichever node asks first gets it, and nobody after.
      const raw = await this.pub.getdel(SEAT_KEY + token).catch(() => null);
      return raw ? (this.inbox.heldSeat(raw) ?? null) : null;
    },
    drop: (token) => {
      if (this.pub.status === 'ready') this.pub.del(SEAT_KEY + token).catch(() => {});
    },
  };
  /** The wait in progress, shared: a thousand resumes while Redis is away add one listener, not a thousand. */
  private readyWait: Promise<boolean> | undefined;

  /** True once the publishing connection is ready, false if it is not within `ms`. */
  private pubReady(ms: number): Promise<boolean> {
    if (this.pub.status === 'ready') return Promise.resolve(true);
    this.readyWait ??= new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.pub.off('ready', onReady);
        this.readyWait = undefined;
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.pub.once('ready', onReady);
    });
    return this.readyWait;
  }

  /** Set when a connection drops after start-up; cleared by the resynchronisation. */
  private lostTouch = false;
  /** Everything read from Redis passes here: checked against the schemas, or dropped and counted. */
  private readonly inbox: Inbox;
  get rejected() {
    return this.inbox.rejected;
  }

  constructor(
    target: string | RedisTarget,
    private readonly log: Logger,
  ) {
    // Retry quickly (at most every 2 s) so traffic resumes soon after Redis returns.
    const { pub, sub, bus } = connect(typeof target === 'string' ? { url: target } : target);
    this.pub = pub;
    this.sub = sub;
    this.bus = bus;
    this.inbox = new Inbox((why, v) =>
      log.warn(
        { why, v, speaks: BACKPLANE_VERSION },
        'dropping backplane messages we cannot read (logged once per reason; see PROTOCOL.md)',
      ),
    );
    for (const [name, conn] of [
      ['pub', this.pub],
      ['sub', this.sub],
    ] as const) {
      conn.on('error', (err: Error) => log.warn({ redis: name, err: err.message }, 'redis error'));
    }
  }

  start(handlers: BackplaneHandlers): void {
    this.handlers = handlers;
    this.bus.onMessage((channel, raw) => this.receive(channel, raw));
    // The channel every node hears (forwarded goodbye beacons); ioredis resubscribes after an
    // outage. On a cluster it is one sharded channel like a room's.
    this.bus.subscribe(NODES_CHANNEL).catch(() => {});
    for (const conn of [this.pub, this.sub]) {
      conn.on('close', () => {
        this.lostTouch = true;
      });
      // Resynchronise once both connections are back (ioredis has resubscribed by then): our
      // liveness key first, then every room.
      conn.on('ready', () => {
        if (this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
        this.refresh();
        if (!this.lostTouch) return;
        this.lostTouch = false;
        this.log.info('redis back: resynchronising');
        handlers.reconnected();
      });
    }
    this.timers = [
      setInterval(() => this.refresh(), REFRESH_MS),
      setInterval(() => this.check(), CHECK_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  async subscribe(room: string): Promise<void> {
    try {
      await this.bus.subscribe(this.channel(room));
    } catch (err) {
      // Redis is away: ioredis subscribes again when it comes back, and we resynchronise then.
      this.log.warn({ room, err: (err as Error).message }, 'subscribe failed');
    }
  }

  unsubscribe(room: string): void {
    this.bus.unsubscribe(this.channel(room)).catch(() => {});
  }

  /** A message is `<node id> <envelope as JSON>`: a node can drop its own echo without parsing it. */
  publish(room: string, event: RoomEvent): void {
    if (this.pub.status !== 'ready') return;
    this.bus.publish(this.channel(room), `${this.nodeId} ${encodeEnvelope(event)}`).catch(() => {});
  }

  private channel(room: string): string {
    return CHANNEL + room;
  }

  broadcast(event: NodeEvent): void {
    if (this.pub.status !== 'ready') return;
    this.bus.publish(NODES_CHANNEL, `${this.nodeId} ${encodeEnvelope(event)}`).catch(() => {});
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    // Say we are gone at once rather than letting the key expire.
    await this.pub.del(NODE_KEY + this.nodeId).catch(() => {});
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private receive(channel: string, raw: string): void {
    const space = raw.indexOf(' ');
    const node = raw.slice(0, space);
    if (space <= 0 || node === this.nodeId) return; // our own event, echoed by Redis
    if (channel === NODES_CHANNEL) {
      const event = this.inbox.nodeEvent(raw.slice(space + 1));
      if (event) this.handlers?.node(event, node);
      return;
    }
    const event = this.inbox.roomEvent(raw.slice(space + 1));
    if (!event) return;
    const room = channel.slice(CHANNEL.length);
    this.peers.add(node);
    if (this.downed.delete(node)) this.publish(room, { t: 'hello' });
    this.handlers?.event(room, event, node);
  }

  private refresh(): void {
    if (this.pub.status !== 'ready') return;
    this.pub.set(NODE_KEY + this.nodeId, String(Date.now()), 'PX', TTL_MS).catch(() => {});
  }

  /** Nodes whose key has expired are dead; while Redis is away we cannot tell, so we wait. */
  private check(): void {
    if (this.pub.status !== 'ready' || this.peers.size === 0) return;
    const peers = [...this.peers];
    // One key per call: in a cluster the keys live in different slots (no multi-key EXISTS).
    Promise.all(peers.map((p) => this.pub.exists(NODE_KEY + p)))
      .then((alive) => {
        for (const [i, peer] of peers.entries()) {
          if (alive[i] === 0) {
            this.peers.delete(peer);
            this.downed.add(peer);
            this.log.info({ node: peer }, 'node down');
            this.handlers?.nodeDown(peer);
          }
        }
      })
      .catch(() => {});
  }
}
