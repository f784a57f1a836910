/**
 * Sends the newest value at most once per interval; a value replaced before its turn is never
 * sent. Cursor positions and viewports are state, not events: only the latest one matters.
 */
export class LatestWins<T> {
  private pending: { value: T } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSentAt = 0;

  /** `send` returns false when it cannot send now; the value then waits for the next kick(). */
  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => boolean,
  ) {}

  set(value: T): void {
    this.pending = { value };
    this.kick();
  }

  /** Try again (e.g. after someone joined or the connection came back). */
  kick(): void {
    if (this.timer !== undefined || !this.pending) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending && this.send(this.pending.value)) {
        this.pending = undefined;
        this.lastSentAt = Date.now();
      }
    }, wait);
  }

  /** Forget the unsent value (it went stale). */
  clear(): void {
    this.pending = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
