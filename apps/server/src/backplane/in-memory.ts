import { randomBytes } from 'node:crypto';
import type { Backplane, BackplaneHandlers, NodeEvent, RoomEvent } from './backplane.ts';

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
    let copy: RoomEvent | undefined;
    for (const node of this.bus.nodes) {
      if (node === this || !node.rooms.has(room)) continue;
      // Delivered asynchronously, like a real backplane, and as a copy, like a serialised message.
      copy ??= JSON.parse(JSON.stringify(event)) as RoomEvent;
      const delivered = copy;
      queueMicrotask(() => node.handlers?.event(room, delivered, this.nodeId));
    }
  }

  broadcast(event: NodeEvent): void {
    for (const node of this.bus.nodes) {
      if (node === this) continue;
      const copy = JSON.parse(JSON.stringify(event)) as NodeEvent;
      queueMicrotask(() => node.handlers?.node(copy, this.nodeId));
    }
  }

  async close(): Promise<void> {
    this.bus.nodes.delete(this);
    for (const node of this.bus.nodes) node.handlers?.nodeDown(this.nodeId);
  }
}
