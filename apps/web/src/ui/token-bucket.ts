/**
 * A rate limit that allows short bursts: `burst` tokens, refilled at `perSec`. The page keeps
 * itself under the server's own limits with it, so nothing the user does is silently dropped
 * on the way (the server drops what goes over; we would still show it locally).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSec: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
