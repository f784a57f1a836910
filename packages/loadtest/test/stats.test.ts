import { describe, expect, it } from 'vitest';
import { Histogram, median, percentile } from '../src/stats.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 99)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(median([10, 30, 20, 40])).toBe(20);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('Histogram', () => {
  it('agrees with exact percentiles to within a bucket (0.1 ms below 1 s)', () => {
    const h = new Histogram();
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const v = ((i * 7919) % 997) / 10; // 0 … 99.6 ms in a scrambled order
      values.push(v);
      h.record(v);
    }
    for (const p of [50, 90, 99, 99.9]) {
      const exact = percentile(values, p);
      expect(h.percentile(p)).toBeGreaterThanOrEqual(exact);
      expect(h.percentile(p) - exact).toBeLessThanOrEqual(0.1 + 1e-9);
    }
    expect(h.count).toBe(10_000);
    expect(h.max).toBeCloseTo(99.6);
  });

  it('never reports more than the largest sample', () => {
    const h = new Histogram();
    h.record(12.34);
    expect(h.percentile(50)).toBeCloseTo(12.34);
  });

  it('keeps coarser buckets above 1 s and an overflow above 60 s', () => {
    const h = new Histogram();
    for (let i = 0; i < 98; i++) h.record(10);
    h.record(2_345);
    h.record(90_000);
    expect(h.percentile(50)).toBeCloseTo(10, 0);
    expect(h.percentile(99)).toBeGreaterThanOrEqual(2_345);
    expect(h.percentile(99)).toBeLessThanOrEqual(2_355);
    expect(h.percentile(100)).toBe(90_000);
  });

  it('treats a tiny negative interval as zero and can be reset', () => {
    const h = new Histogram();
    h.record(-0.01);
    expect(h.percentile(50)).toBe(0);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.percentile(50)).toBeNaN();
  });
});
