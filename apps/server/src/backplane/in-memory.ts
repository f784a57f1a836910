import { randomBytes } from 'node:crypto';
import type { Backplane, BackplaneHandlers, NodeEvent, RoomEvent } from './backplane.ts';
import { encodeEnvelope, Inbox } from './messages.ts';

/**
 * The default backplane: nodes in one process share an in-memory bus. A server on its own has a
 * bus of its own and so talks to nobody, which is all a single node needs. Tests give several
 * servers one bus to exercise the cross-node logic without Redis.
 */
export class InMemoryBus {
  readonly nodes = new Set<InMemoryBackplane>();
}

export class InMemoryBackplane implements Backplane {
  readonly nodeId = randomBytes(4).toString('hex');
  private handlers: BackplaneHandlers | undefined;
  private readonly rooms = new Set<string>();
  /**
   * Events go through the same envelope and schemas as on Redis, so every multi-node test also
   * checks that what a node publishes is what the other nodes accept.
   */
  private readonly inbox = new Inbox();
  readonly rejected = this.inbox.rejected;

  constructor(private readonly bus: InMemoryBus = new InMemoryBus()) {}

  start(handlers: BackplaneHandlers): void {
    this.handlers = handlers;
    this.bus.nodes.add(this);
  }

  async subscribe(room: string): Promise<void> {
    this.rooms.add(room);
  }

  unsubscribe(room: string): void {
    this.rooms.delete(room);
  }

  publish(room: string, event: RoomEvent): void {
    let raw: string | undefined;
    for (const node of this.bus.nodes) {
      if (node === this || !node.rooms.has(room)) continue;
      // Delivered asynchronously, like a real backplane, and serialised, like a Redis message.
      raw ??= encodeEnvelope(event);
      const sent = raw;
      queueMicrotask(() => {
        const delivered = node.inbox.roomEvent(sent);
        if (delivered) node.handlers?.event(room, delivered, this.nodeId);
      });
    }
  }

  broadcast(event: NodeEvent): void {
    const raw = encodeEnvelope(event);
    for (const node of this.bus.nodes) {
      if (node === this) continue;
      queueMicrotask(() => {
        const delivered = node.inbox.nodeEvent(raw);
        if (delivered) node.handlers?.node(delivered, this.nodeId);
      });
    }
  }

  async close(): Promise<void> {
    this.bus.nodes.delete(this);
    for (const node of this.bus.nodes) node.handlers?.nodeDown(this.nodeId);
  }
}
