import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { Backplane, BackplaneHandlers, NodeEvent, RoomEvent } from './backplane.ts';

const CHANNEL = 'cursorline:room:';
/** Node-wide events (NodeEvent), not tied to a room. */
const NODES_CHANNEL = 'cursorline:nodes';
const NODE_KEY = 'cursorline:node:';
/**
 * A node refreshes its key every REFRESH_MS; it expires after TTL_MS without one. Short, so a
 * dead node's users are shown offline within TTL + CHECK (5 s); a key costs one SET a second.
 */
const REFRESH_MS = 1000;
const TTL_MS = 4000;
/** How often a node checks that the nodes it has users from are alive. */
const CHECK_MS = 1000;

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
  private readonly pub: Redis;
  private readonly sub: Redis;
  private handlers: BackplaneHandlers | undefined;
  /** Nodes we have heard from, and so may hold users of. */
  private readonly peers = new Set<string>();
  /** Nodes we declared dead; if one speaks again (it was only cut off), we ask for its users. */
  private readonly downed = new Set<string>();
  private timers: ReturnType<typeof setInterval>[] = [];
  /** Set when a connection drops after start-up; cleared by the resynchronisation. */
  private lostTouch = false;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    // Retry quickly (at most every 2 s) so traffic resumes soon after Redis returns.
    const retryStrategy = (times: number) => Math.min(200 * times, 2000);
    // Publishing while Redis is away fails at once instead of queueing: cursor moves are
    // latest-wins, and presence is resynchronised on reconnect.
    this.pub = new Redis(url, {
      retryStrategy,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    this.sub = new Redis(url, { retryStrategy, maxRetriesPerRequest: null });
    for (const [name, conn] of [
      ['pub', this.pub],
      ['sub', this.sub],
    ] as const) {
      conn.on('error', (err: Error) => log.warn({ redis: name, err: err.message }, 'redis error'));
    }
  }

  start(handlers: BackplaneHandlers): void {
    this.handlers = handlers;
    this.sub.on('message', (channel: string, raw: string) => this.receive(channel, raw));
    this.sub.subscribe(NODES_CHANNEL).catch(() => {}); // ioredis resubscribes after an outage
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
      await this.sub.subscribe(CHANNEL + room);
    } catch (err) {
      // Redis is away: ioredis subscribes again when it comes back, and we resynchronise then.
      this.log.warn({ room, err: (err as Error).message }, 'subscribe failed');
    }
  }

  unsubscribe(room: string): void {
    this.sub.unsubscribe(CHANNEL + room).catch(() => {});
  }

  /** A message is `<node id> <event as JSON>`: a node can drop its own echo without parsing it. */
  publish(room: string, event: RoomEvent): void {
    if (this.pub.status !== 'ready') return;
    this.pub.publish(CHANNEL + room, `${this.nodeId} ${JSON.stringify(event)}`).catch(() => {});
  }

  broadcast(event: NodeEvent): void {
    if (this.pub.status !== 'ready') return;
    this.pub.publish(NODES_CHANNEL, `${this.nodeId} ${JSON.stringify(event)}`).catch(() => {});
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
    let event: RoomEvent;
    try {
      // Only nodes write to these channels; we trust their events as much as Redis itself.
      event = JSON.parse(raw.slice(space + 1)) as RoomEvent;
    } catch {
      return;
    }
    if (channel === NODES_CHANNEL) {
      this.handlers?.node(event as unknown as NodeEvent, node);
      return;
    }
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
    this.pub
      .exists(...peers.map((p) => NODE_KEY + p))
      .then(async (alive) => {
        if (alive === peers.length) return;
        // At least one is gone: find which.
        for (const peer of peers) {
          if ((await this.pub.exists(NODE_KEY + peer)) === 0) {
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
