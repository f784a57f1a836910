import { describe, expect, it } from 'vitest';
import { PhaseMeter, phaseOffsetMs } from '../src/tick-phase.ts';

describe('PhaseMeter', () => {
  it('finds the phase of arrivals that come once a tick, with jitter', () => {
    const meter = new PhaseMeter(40);
    for (let k = 0; k < 100; k++) meter.add(1000 + 40 * k + 13 + (k % 3) - 1);
    expect(meter.phaseMs()).toBeCloseTo(13, 0);
    expect(meter.concentration()).toBeGreaterThan(0.99);
  });

  it('averages across the wrap from the end of the tick to its start', () => {
    const meter = new PhaseMeter(40);
    for (let k = 0; k < 50; k++) meter.add(40 * k + 39);
    for (let k = 0; k < 50; k++) meter.add(40 * k + 1);
    // A plain mean would say 20 ms; the arrivals are all within 1 ms of the tick's start.
    const phase = meter.phaseMs();
    expect(Math.min(phase, 40 - phase)).toBeLessThan(1e-6);
  });

  it('says NaN with no samples, and forgets on reset', () => {
    const meter = new PhaseMeter(40);
    expect(meter.phaseMs()).toBeNaN();
    meter.add(5);
    expect(meter.phaseMs()).toBeCloseTo(5, 9);
    meter.reset();
    expect(meter.phaseMs()).toBeNaN();
    expect(meter.concentration()).toBe(0);
  });
});

describe('phaseOffsetMs', () => {
  it('is how long after the first node the second ticks, within one tick', () => {
    expect(phaseOffsetMs(10, 25)).toBe(15);
    expect(phaseOffsetMs(25, 10)).toBe(25);
    expect(phaseOffsetMs(39, 1)).toBe(2);
    expect(phaseOffsetMs(5, 5)).toBe(0);
    expect(phaseOffsetMs(Number.NaN, 5)).toBeNaN();
  });
});
