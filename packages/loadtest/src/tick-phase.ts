/**
 * When in its 40 ms tick does each node send? Every node runs its own setInterval, started when
 * the process started, so two nodes tick at a fixed offset from each other (drifting slowly).
 * A move from node A to node B leaves A on A's tick and then waits for B's next tick: it pays
 * exactly that offset on top of a same-node move, and the other way round 40 ms minus it. The
 * offset is chance (start-up timing), so it is measured: it explains why the cross-node p99
 * differs between runs while the p50 stays near half a tick.
 *
 * Observers note when each cursor batch arrives; the circular mean of arrival time modulo the
 * tick is the node's phase (a plain mean would break at the wrap from 39 ms to 0 ms).
 */

/** The server's default TICK_MS, which the bench does not change. */
export const SERVER_TICK_MS = 40;

export class PhaseMeter {
  private x = 0;
  private y = 0;
  private n = 0;

  constructor(private readonly periodMs: number = SERVER_TICK_MS) {}

  add(atMs: number): void {
    const angle = (2 * Math.PI * atMs) / this.periodMs;
    this.x += Math.cos(angle);
    this.y += Math.sin(angle);
    this.n++;
  }

  /** Mean phase in [0, period) ms; NaN without samples or when arrivals are spread evenly. */
  phaseMs(): number {
    if (this.n === 0 || this.concentration() < 1e-9) return Number.NaN;
    const angle = Math.atan2(this.y, this.x);
    return wrap((angle / (2 * Math.PI)) * this.periodMs, this.periodMs);
  }

  /** 1 when every arrival has the same phase, near 0 when they are spread over the whole tick. */
  concentration(): number {
    return this.n === 0 ? 0 : Math.hypot(this.x, this.y) / this.n;
  }

  reset(): void {
    this.x = 0;
    this.y = 0;
    this.n = 0;
  }
}

/** How long after node A's tick node B ticks, in [0, period) ms. */
export function phaseOffsetMs(phaseA: number, phaseB: number, periodMs = SERVER_TICK_MS): number {
  return wrap(phaseB - phaseA, periodMs);
}

function wrap(ms: number, periodMs: number): number {
  const r = ms % periodMs;
  return r < 0 ? r + periodMs : r;
}
