import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff } from '../src/backoff.ts';

describe('full-jitter backoff', () => {
  it('stays between 0 and the exponential cap', () => {
    const opts = { baseMs: 1000, capMs: 30_000 };
    expect(backoffDelay(0, opts, () => 0.999)).toBe(999);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(4000);
    expect(backoffDelay(10, opts, () => 0.999)).toBe(29_970);
    expect(backoffDelay(50, opts, () => 0)).toBe(0);
  });

  it('spreads the first retries of many clients over the whole first second', () => {
    const delays = Array.from({ length: 1000 }, () => backoffDelay(0, defaultBackoff));
    expect(Math.min(...delays)).toBeLessThan(100);
    expect(Math.max(...delays)).toBeGreaterThan(900);
    expect(Math.max(...delays)).toBeLessThan(1000);
  });
});
