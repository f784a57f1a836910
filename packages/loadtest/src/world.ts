import { SentLogs } from './move-code.ts';
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

const TRAFFIC_FIELDS = [
  'frames',
  'bytes',
  'movingBytes',
  'framedBytes',
  'updates',
  'movesSent',
] as const satisfies readonly (keyof Traffic)[];

/** Bytes of a SharedArrayBuffer that holds one SharedTraffic. */
export const SHARED_TRAFFIC_BYTES = TRAFFIC_FIELDS.length * 8;

/**
 * Traffic counters in a SharedArrayBuffer: the crowd's worker thread adds to them as its users'
 * frames arrive, and the main thread reads the totals at the window's start and end at once,
 * without asking the worker (whose answer would wait behind its busy event loop). Each field is
 * an accessor over one Float64 slot, so SimUser's `traffic.frames++` works as on a plain Traffic.
 * One thread writes, the other only reads; a read is a plain Float64 load, so it may miss the
 * increments of the last microseconds, nothing more.
 */
export function sharedTraffic(buffer: SharedArrayBuffer): Traffic {
  const counts = new Float64Array(buffer, 0, TRAFFIC_FIELDS.length);
  const traffic = emptyTraffic();
  TRAFFIC_FIELDS.forEach((field, i) => {
    Object.defineProperty(traffic, field, {
      enumerable: true,
      get: () => counts[i] ?? 0,
      set: (value: number) => {
        counts[i] = value;
      },
    });
  });
  return traffic;
}

/** Field by field sum of several counters (the observers' and the crowd's), as a plain copy. */
export function sumTraffic(...parts: readonly Traffic[]): Traffic {
  const total = emptyTraffic();
  for (const part of parts) for (const field of TRAFFIC_FIELDS) total[field] += part[field];
  return total;
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
  readonly firstSentAt: number;
  sentAt(move: number): number | undefined;
}

/**
 * Everything the simulated users of one scenario share: who is who (the server assigns ids, so
 * an observer needs id → sender to look up send times), the traffic counters, and the latency
 * histograms the observers fill.
 */
export class World {
  readonly byId = new Map<number, Sender>();
  readonly traffic: Traffic;
  /** Every user's send times, indexed by user index (shared with the crowd's worker thread). */
  readonly sent: SentLogs;
  /**
   * Told when a user is first marked gone by what an observer saw: the crowd handle (crowd.ts)
   * passes it on to the worker, so the worker stops sending that user's moves as before.
   */
  onGone: ((sender: Sender) => void) | undefined;
  /** Told when one of this thread's own connections closes (the worker reports it to main). */
  onClosed: ((sender: Sender, code: number, at: number) => void) | undefined;
  /**
   * The clock every recorded time uses: the main thread's performance.now(). In the crowd's
   * worker, whose performance.now() starts later, it adds the difference (crowd-worker.ts).
   */
  readonly now: () => number;
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

  constructor(
    readonly userCount: number,
    shared: { sent?: SentLogs; traffic?: Traffic; now?: () => number } = {},
  ) {
    this.sent = shared.sent ?? new SentLogs(userCount);
    this.traffic = shared.traffic ?? emptyTraffic();
    this.now = shared.now ?? (() => performance.now());
  }

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
      sender.goneAt = this.now();
      sender.goneHow = how;
      this.onGone?.(sender);
    }
  }
}
