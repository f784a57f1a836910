import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/rate-limit.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst, then the steady rate', () => {
    const c = clock();
    const bucket = new TokenBucket(10, 5, c.now);
    const first = Array.from({ length: 8 }, () => bucket.take());
    expect(first).toEqual([true, true, true, true, true, false, false, false]);
    c.advance(100); // one token's worth
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('only throttles a client slightly over the limit', () => {
    const c = clock();
    const bucket = new TokenBucket(50, 100, c.now);
    let accepted = 0;
    for (let i = 0; i < 60 * 10; i++) {
      c.advance(1000 / 60); // 60 messages a second for 10 s
      if (bucket.take()) accepted++;
      expect(bucket.abusive).toBe(false);
    }
    expect(accepted).toBeGreaterThan(580); // burst + 50/s
    expect(accepted).toBeLessThan(600);
  });

  it('marks a flood as abusive within a fraction of a second', () => {
    const c = clock();
    const bucket = new TokenBucket(50, 100, c.now);
    let sent = 0;
    while (!bucket.abusive && sent < 10_000) {
      c.advance(0.1); // 10,000 messages a second
      bucket.take();
      sent++;
    }
    expect(bucket.abusive).toBe(true);
    expect(sent).toBeLessThan(300);
  });
});
