import type { BackplaneRejections, HeldSeat, NodeEvent, RoomEvent } from './messages.ts';

/**
 * The seam between a node and the other nodes. What travels over it (room events, node events,
 * held seats) is defined, with its schemas and version, in messages.ts; PROTOCOL.md documents it
 * as the backplane protocol.
 */
export type { HeldSeat, NodeEvent, RoomEvent } from './messages.ts';

/** Seats shared by all nodes (Redis keys with the grace period as TTL). */
export interface SeatStore {
  put(token: string, seat: HeldSeat, ttlMs: number): void;
  /** Removes and returns the seat (atomically: two nodes cannot both take it). */
  take(token: string): Promise<HeldSeat | null>;
  drop(token: string): void;
}

export interface BackplaneHandlers {
  event(room: string, event: RoomEvent, fromNode: string): void;
  node(event: NodeEvent, fromNode: string): void;
  /** A node stopped refreshing its liveness: its users are gone. */
  nodeDown(node: string): void;
  /** The connection to the other nodes came back after an outage: time to resynchronise. */
  reconnected(): void;
}

/**
 * How a node shares its rooms with other nodes. Subscriptions are per room, and only for rooms
 * with users on this node. A node never receives its own events back as remote ones.
 */
export interface Backplane {
  readonly nodeId: string;
  /** Present when dropped users can resume on another node. */
  readonly seats?: SeatStore;
  /** Messages from other nodes dropped at the boundary (wrong version, malformed). */
  readonly rejected: BackplaneRejections;
  start(handlers: BackplaneHandlers): void;
  /** Resolves once events of the room will be delivered (so a "hello" gets its answers). */
  subscribe(room: string): Promise<void>;
  unsubscribe(room: string): void;
  publish(room: string, event: RoomEvent): void;
  /** To every other node, subscribed to the room or not. */
  broadcast(event: NodeEvent): void;
  close(): Promise<void>;
}
