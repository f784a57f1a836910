/**
 * A token bucket: `ratePerSec` tokens flow in continuously up to `burst`; each message takes one.
 * It absorbs short bursts (a page catching up after a stall) but holds the long-run rate.
 *
 * `take()` also keeps a tally of refusals that drains at the same rate, so a client that is a
 * little over the limit is only throttled, while one that floods piles up refusals quickly and
 * `abusive` turns true: the session then closes it.
 */
export class TokenBucket {
  private tokens: number;
  private refused = 0;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    const refill = ((t - this.last) / 1000) * this.ratePerSec;
    this.last = t;
    this.tokens = Math.min(this.burst, this.tokens + refill);
    this.refused = Math.max(0, this.refused - refill);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.refused += 1;
    return false;
  }

  /** Refused more than a whole burst's worth recently: not a glitch, a flood. */
  get abusive(): boolean {
    return this.refused > this.burst;
  }
}
