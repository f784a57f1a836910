import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('allows a burst, then the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(4, 6, () => now);
    const taken = Array.from({ length: 10 }, () => bucket.take()).filter(Boolean).length;
    expect(taken).toBe(6);
    now = 500; // half a second: two more
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('never holds more than the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(4, 3, () => now);
    now = 60_000;
    const taken = Array.from({ length: 10 }, () => bucket.take()).filter(Boolean).length;
    expect(taken).toBe(3);
  });
});
