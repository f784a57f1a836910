import { describe, expect, it } from 'vitest';
import { alignedAfter, startTicker } from '../src/ticker.ts';

/** The tick on the wall clock (ticker.ts): how nodes come to tick at the same moments. */
describe('ticker', () => {
  it('aims at the next multiple of the period', () => {
    expect(alignedAfter(1000, 40)).toBe(1040);
    expect(alignedAfter(1001, 40)).toBe(1040);
    expect(alignedAfter(1039, 40)).toBe(1040);
  });

  it('ticks once per period, on its multiples, so two tickers started apart tick together', async () => {
    const period = 20;
    const seen: number[][] = [[], []];
    const first = startTicker(period, () => seen[0]?.push(Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 7)); // started at another moment
    const second = startTicker(period, () => seen[1]?.push(Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.stop();
    second.stop();
    for (const ticks of seen) {
      expect(ticks.length).toBeGreaterThanOrEqual(5);
      // Never twice in one period...
      const periods = ticks.map((t) => Math.floor(t / period));
      expect(new Set(periods).size).toBe(periods.length);
      // ...and mostly right after its start (a timer may be late on a busy machine, never early).
      const onTime = ticks.filter((t) => t % period <= 5).length;
      expect(onTime).toBeGreaterThanOrEqual(ticks.length / 2);
    }
  });
});
