import type { ClientJson, UserState } from '@cursorline/protocol';

/**
 * What nodes tell each other about a room. Each event carries what the other nodes need to
 * update their copy of the room, nothing more; cursor moves travel as one compact text batch
 * per node, room and tick.
 */
export type RoomEvent =
  | { t: 'join'; user: UserState }
  | { t: 'leave'; id: number }
  /** A user's name, state, pointer or view changed: their whole state, so applying it twice is harmless. */
  | { t: 'update'; user: UserState }
  | { t: 'relay'; id: number; msg: Extract<ClientJson, { t: 'chat' | 'react' }> }
  /** This node's users' moves of one tick (encodeBatchText). */
  | { t: 'cursors'; batch: string }
  /** "I now have users in this room: please tell me yours." */
  | { t: 'hello' }
  /** All of this node's users in the room: the others replace what they had from it. */
  | { t: 'members'; users: UserState[] }
  /** A dropped user of node `from` resumed on the sender: same user, now the sender's. */
  | { t: 'adopt'; user: UserState; from: string };

/** A dropped user's seat, kept where every node can find it while it may resume. */
export interface HeldSeat {
  room: string;
  user: UserState;
  /** The node that held it. */
  node: string;
}

/** Seats shared by all nodes (Redis keys with the grace period as TTL). */
export interface SeatStore {
  put(token: string, seat: HeldSeat, ttlMs: number): void;
  /** Removes and returns the seat (atomically: two nodes cannot both take it). */
  take(token: string): Promise<HeldSeat | null>;
  drop(token: string): void;
}

/**
 * What one node asks of all the others, whatever rooms they serve. A goodbye beacon (POST /leave)
 * reaches whichever node the load balancer picks; if that node does not hold the seat, it passes
 * the token on and the node that does lets the user leave.
 */
export type NodeEvent = { t: 'leave'; token: string };

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
  start(handlers: BackplaneHandlers): void;
  /** Resolves once events of the room will be delivered (so a "hello" gets its answers). */
  subscribe(room: string): Promise<void>;
  unsubscribe(room: string): void;
  publish(room: string, event: RoomEvent): void;
  /** To every other node, subscribed to the room or not. */
  broadcast(event: NodeEvent): void;
  close(): Promise<void>;
}
