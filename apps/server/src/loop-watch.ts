import type { StallClock } from '@cursorline/protocol';

/**
 * How long this process could not run its event loop (GC pauses, a CPU-heavy burst, SIGSTOP, a
 * VM that was frozen). While the loop is stalled, clients keep sending; when it runs again their
 * messages are all read at once. The rate limiter uses this to tell that backlog from a flood.
 *
 * A timer beats every `beatMs`. After a stall, Node reads sockets before it runs timers, so the
 * messages of the backlog are read while the last beat is still old: `stalledMs()` counts that
 * ongoing stall too, not only the ones the beat has already measured.
 */
export class LoopWatch implements StallClock {
  private last = performance.now();
  private total = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly beatMs = 50) {
    this.timer = setInterval(() => {
      const now = performance.now();
      this.total += Math.max(0, now - this.last - this.beatMs);
      this.last = now;
    }, beatMs);
    this.timer.unref();
  }

  /** Milliseconds of stall so far (never decreases). */
  stalledMs(now = performance.now()): number {
    return this.total + Math.max(0, now - this.last - this.beatMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
