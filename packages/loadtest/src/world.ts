import { Histogram } from './stats.ts';
import { PhaseMeter } from './tick-phase.ts';

/** What every simulated user adds to as frames arrive: plain counters, cheap enough for all. */
export interface Traffic {
  /** WebSocket messages received. */
  frames: number;
  /** Their payload bytes (what the protocol puts on the wire, without WebSocket headers). */
  bytes: number;
  /**
   * The payload bytes of the users that move: in an audience the passive ones get little or
   * nothing, so the average over everyone would hide what an active recipient's downlink is.
   */
  movingBytes: number;
  /** Payload plus the WebSocket frame header the server added (2, 4 or 10 bytes). */
  framedBytes: number;
  /** Cursor updates (batch entries) received. */
  updates: number;
  /** Moves sent by the generator. */
  movesSent: number;
}

export type GoneHow = 'leave' | 'offline' | 'closed';

export function emptyTraffic(): Traffic {
  return { frames: 0, bytes: 0, movingBytes: 0, framedBytes: 0, updates: 0, movesSent: 0 };
}

/** The parts of a simulated user that others (observers, the freshness sampler) look at. */
export interface Sender {
  readonly index: number;
  readonly room: string;
  /** The node it is connected to (0 with a single server). */
  readonly node: number;
  id: number;
  /** Whether it sends moves in this scenario. */
  moving: boolean;
  /** It left the room: its connection closed, or an observer saw its `leave`. */
  gone: boolean;
  /** When it was first seen gone (performance.now() time; NaN while present). */
  goneAt: number;
  /** How: others saw it leave, or shown offline (dropped; the server waits for a resume), or our own socket closed. */
  goneHow: GoneHow | undefined;
  /** When its first move left the generator (NaN until then). */
  firstSentAt: number;
  sentAt(move: number): number | undefined;
}

/**
 * Everything the simulated users of one scenario share: who is who (the server assigns ids, so
 * an observer needs id → sender to look up send times), the traffic counters, and the latency
 * histograms the observers fill.
 */
export class World {
  readonly byId = new Map<number, Sender>();
  readonly traffic = emptyTraffic();
  /** Move sent → seen by an observer, over the measured window. */
  readonly latency = new Histogram();
  /** The same, split by whether sender and observer are on the same node (several nodes only). */
  readonly sameNodeLatency = new Histogram();
  readonly crossNodeLatency = new Histogram();
  /**
   * Time between two cursor batches reaching the same observer. With tick fan-out it should stay
   * near TICK_MS (40 ms); a long tail means late ticks on the server or a busy generator.
   */
  readonly batchGap = new Histogram();
  /** Per node: where in the server's tick its batches reach observers (see tick-phase.ts). */
  private readonly phases: PhaseMeter[] = [];
  /** The same, over the last second only: how the runner notices a collapse while it happens. */
  readonly recentLatency = new Histogram();
  /** Updates whose send time was no longer known (older than the send log): late beyond measure. */
  unmatched = 0;
  /** Frames from the server that failed to decode (should stay 0). */
  badFrames = 0;

  constructor(readonly userCount: number) {}

  recordLatency(ms: number, sameNode: boolean): void {
    this.latency.record(ms);
    this.recentLatency.record(ms);
    (sameNode ? this.sameNodeLatency : this.crossNodeLatency).record(ms);
  }

  batchPhase(node: number): PhaseMeter {
    let meter = this.phases[node];
    if (!meter) {
      meter = new PhaseMeter();
      this.phases[node] = meter;
    }
    return meter;
  }

  /** Starts the measured window: the latency histograms and tick phases forget the warm-up. */
  resetLatency(): void {
    this.latency.reset();
    this.sameNodeLatency.reset();
    this.crossNodeLatency.reset();
    this.batchGap.reset();
    for (const meter of this.phases) meter?.reset();
    this.unmatched = 0;
  }

  /** Called when someone sees `leave` for an id: nobody should wait for its moves any more. */
  markGone(id: number, how: GoneHow): void {
    const sender = this.byId.get(id);
    if (sender && !sender.gone) {
      sender.gone = true;
      sender.goneAt = performance.now();
      sender.goneHow = how;
    }
  }
}
