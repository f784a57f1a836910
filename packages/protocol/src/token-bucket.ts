/**
 * What a bucket needs to know about its process's own stalls. The server implements it with its
 * event-loop watch (apps/server/src/loop-watch.ts); the page has none and passes nothing.
 */
export interface StallClock {
  /** Milliseconds the process could not run so far; never decreases. */
  stalledMs(now: number): number;
}

/** A rate as a bucket takes it: tokens refilled per second, and how many may be saved up. */
export interface Rate {
  readonly perSec: number;
  readonly burst: number;
}

/**
 * The rate a well-behaved sender keeps itself under, for a limit the receiver enforces: a
 * quarter slower and a fifth less burst, so messages that the network bunches up on the way
 * still arrive within the receiver's limit. The page sends chat and reactions this way, so
 * nothing the user sees themselves send is dropped for the others.
 */
export const senderRate = ({ perSec, burst }: Rate): Rate => ({
  perSec: perSec * 0.75,
  burst: Math.max(1, Math.floor(burst * 0.8)),
});

const noStalls: StallClock = { stalledMs: () => 0 };
/** A stall credit covers at most this much of a client's backlog. */
const MAX_CREDIT_SECONDS = 60;

/**
 * A token bucket: `ratePerSec` tokens flow in continuously up to `burst`; each message takes one.
 * It absorbs short bursts (a page catching up after a stall) but holds the long-run rate. One
 * class for both sides: the server judges clients with it, and the page keeps itself under the
 * server's limits with it (so nothing the user does is silently dropped on the way).
 *
 * It judges the sender, not the receiver:
 * - time is monotonic (`performance.now()` unless a clock is given), so a wall-clock step cannot
 *   empty the bucket;
 * - when the receiving process itself stalled (the optional `stalls` hook), the sender had every
 *   right to send during the stall: the bucket gets a credit of `ratePerSec` per stalled second,
 *   beyond the burst, which pays for the backlog read when the process runs again. The credit
 *   drains like the tally below, so it cannot be saved up for later.
 *
 * `take()` also keeps a tally of refusals that drains at the same rate, so a client that is a
 * little over the limit is only throttled, while one that floods piles up refusals quickly and
 * `abusive` turns true: the server then closes it.
 */
export class TokenBucket {
  private tokens: number;
  private credit = 0;
  private refused = 0;
  private last: number;
  private stalledSeen: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    private readonly stalls: StallClock = noStalls,
  ) {
    this.tokens = burst;
    this.last = now();
    this.stalledSeen = stalls.stalledMs(this.last);
  }

  /** A bucket for one of the protocol's rates (see MESSAGE_RATES). */
  static of(rate: Rate, now?: () => number, stalls?: StallClock): TokenBucket {
    return new TokenBucket(rate.perSec, rate.burst, now, stalls);
  }

  take(): boolean {
    const t = this.now();
    // Time during which the process was stalled is paid as credit, the rest as normal refill.
    const stalled = this.stalls.stalledMs(t);
    const stallMs = Math.max(0, stalled - this.stalledSeen);
    this.stalledSeen = stalled;
    const elapsed = Math.max(0, t - this.last - stallMs);
    this.last = t;
    const refill = (elapsed / 1000) * this.ratePerSec;
    this.tokens = Math.min(this.burst, this.tokens + refill);
    this.credit = Math.min(
      this.ratePerSec * MAX_CREDIT_SECONDS,
      Math.max(0, this.credit - refill) + (stallMs / 1000) * this.ratePerSec,
    );
    this.refused = Math.max(0, this.refused - refill);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    if (this.credit >= 1) {
      this.credit -= 1;
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
