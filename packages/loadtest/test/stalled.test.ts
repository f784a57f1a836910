import { describe, expect, it } from 'vitest';
import { stalledTable } from '../src/report.ts';
import { makePlan } from '../src/scenarios.ts';
import {
  type StalledFreshness,
  type StalledResult,
  type StalledScenario,
  stallFloor,
} from '../src/stalled-scenario.ts';
import { checkTargets, STALL_QUEUE_LIMIT_BYTES, type TargetCheck } from '../src/targets.ts';

const options = { quick: false, measureS: 10, warmupS: 3, observers: 20 };
/** The plan's two stalled runs: the server's defaults, then the heartbeat off. */
function stalledRuns(quick: boolean): [StalledScenario, StalledScenario] {
  const [defaults, noHeartbeat] = makePlan({ ...options, quick }).stalled;
  if (!defaults || !noHeartbeat) throw new Error('the plan has two stalled runs');
  return [defaults, noHeartbeat];
}
const [defaults, noHeartbeat] = stalledRuns(false);

/** A crowded room under interest: full-rate cursors fresh, the low-rate rest ~1 s old by design. */
function freshness(over: Partial<StalledFreshness> = {}): StalledFreshness {
  return {
    p50: 420,
    p99: 1020,
    samples: 100_000,
    fullRate: { p50: 43, p99: 76, samples: 20_000 },
    rest: { p99: 1010, max: 1090, samples: 80_000 },
    ...over,
  };
}

const KIB = 1024;

/**
 * A healthy run of the defaults variant: RSS saws between ~130 and ~165 MiB throughout, and the
 * send queues stay near empty (the kernel's buffers still absorb what the stalled clients miss).
 */
function result(over: Partial<StalledResult> = {}): StalledResult {
  return {
    kind: 'stalled',
    scenario: defaults,
    stallSeconds: 21,
    baselineSendQueueBytes: [0, 0, 512, 0, 0, 0, 0, 0, 0, 0],
    sendQueueBytes: [0, 0, 1 * KIB, 0, 2 * KIB, 0, 0, 3 * KIB, 0, 0, 0, 0, 0, 0, 0, 0],
    baselineSendQueuePeakBytes: 512,
    sendQueuePeakBytes: 3 * KIB,
    baselineRssMiB: [144, 122, 125, 132, 141, 150, 162, 144, 131, 133],
    rssMiB: [149, 155, 162, 132, 132, 135, 142, 149, 158, 165, 133, 133, 138, 147, 154, 161],
    baselineMaxMiB: 162,
    rssMaxMiB: 165,
    baselineFloorMiB: 122,
    floorFirstMiB: 132,
    floorLastMiB: 133,
    serverPeakRssMiB: 170,
    disconnected: 10,
    disconnectAfterS: Array.from({ length: 10 }, () => 15.5),
    removedHow: { offline: 10 },
    stalledCloseCodes: { 1006: 10 },
    othersDropped: 0,
    baselineFreshnessMs: freshness(),
    latencyMs: { p50: 23, p99: 45 },
    freshnessMs: freshness(),
    serverCpuPct: 37,
    generatorCpuPct: 41,
    generatorObserversCpuPct: 10,
    generatorCrowdCpuPct: 31,
    otherCpuPct: 0,
    ...over,
  };
}

/** The three stalled checks of the defaults variant, in order: memory, freshness, disconnected. */
function judged(r: StalledResult): TargetCheck[] {
  const checks = checkTargets([r]).filter((c) => c.scenario === 'stalled/ws/tick');
  expect(checks).toHaveLength(3);
  return checks;
}

describe('stalled clients: what the server holds for them, judged on its send queues', () => {
  it('passes a healthy run, names the target by its bound, and shows RSS unjudged', () => {
    const [memory] = judged(result());
    expect(memory?.target).toMatch(/stays bounded \(send queues ≤ 10 MiB at peak\)$/);
    expect(memory?.verdict).toBe('PASS');
    expect(memory?.measured).toBe(
      'send queues peak 1 → 3 KiB; RSS floor 122 → 133 MiB (+11.0), peak 162 → 165 MiB (+3.0), not judged',
    );
  });

  it('bounds the queues at 10 × HARD_BUFFER_BYTES (1 MiB)', () => {
    expect(STALL_QUEUE_LIMIT_BYTES).toBe(10 * 1024 * 1024);
  });

  it('fails a peak over the limit, however flat RSS stayed', () => {
    const over = STALL_QUEUE_LIMIT_BYTES + 1;
    const [memory] = judged(
      result({ sendQueueBytes: [640 * KIB, over, 0], sendQueuePeakBytes: over }),
    );
    expect(memory?.verdict).toBe('FAIL');
    expect(memory?.measured).toMatch(/^send queues peak 1 → 10240 KiB;/);
    const [atLimit] = judged(result({ sendQueuePeakBytes: STALL_QUEUE_LIMIT_BYTES }));
    expect(atLimit?.verdict).toBe('PASS');
  });

  it('ignores RSS creep: floors 30 MiB and peaks 40 MiB higher pass while the queues are bounded', () => {
    const crept = result({
      baselineFloorMiB: 122,
      floorLastMiB: 152,
      baselineMaxMiB: 125,
      rssMaxMiB: 165,
      sendQueuePeakBytes: 650 * KIB,
    });
    const [memory] = judged(crept);
    expect(memory?.verdict).toBe('PASS');
    expect(memory?.measured).toMatch(
      /^send queues peak 1 → 650 KiB; RSS floor 122 → 152 MiB \(\+30\.0\), peak 125 → 165 MiB \(\+40\.0\)/,
    );
  });

  it('fails when no scrape was read during the stall, and counts the misses', () => {
    const missed = result({
      sendQueueBytes: [Number.NaN, Number.NaN],
      sendQueuePeakBytes: Number.NaN,
    });
    const [memory] = judged(missed);
    expect(memory?.verdict).toBe('FAIL');
    expect(memory?.measured).toMatch(/^send queues peak 1 → – KiB \(2\/12 scrapes missed\)/);
  });

  it('takes the floor of the stall proper, not of the watch after the last client went', () => {
    // Stalled for 12 s (the queues grow), then gone: the floor falls back once they are freed.
    const rss = [130, 131, 150, 152, 160, 162, 158, 165, 170, 168, 172, 171, 131, 129, 130];
    expect(stallFloor(rss, 12)).toBe(150);
    expect(stallFloor(rss)).toBe(129);
    expect(stallFloor(rss, 3)).toBe(130);
    expect(stallFloor([], 0)).toBeNaN();
  });
});

describe('stalled clients: the others keep their freshness', () => {
  it('judges the full-rate cursors, not the low-rate rest', () => {
    const [, fresh] = judged(result());
    expect(fresh?.target).toMatch(/freshness p99 < 100 ms for full-rate cursors/);
    expect(fresh?.verdict).toBe('PASS');
    expect(fresh?.measured).toBe(
      'full-rate p99 76.0 ms (before 76.0 ms); all cursors 1020.0 ms; rest refreshed within 1090.0 ms',
    );
  });

  it('fails when the full-rate cursors go stale during the stall, even if all cursors look fine', () => {
    const stale = freshness({ p99: 90, fullRate: { p50: 60, p99: 140, samples: 20_000 } });
    const [, fresh] = judged(result({ freshnessMs: stale }));
    expect(fresh?.verdict).toBe('FAIL');
    expect(fresh?.measured).toMatch(
      /^full-rate p99 140\.0 ms \(before 76\.0 ms\); all cursors 90\.0/,
    );
  });

  it('fails when no full-rate cursor was measured', () => {
    const none = freshness({ fullRate: { p50: Number.NaN, p99: Number.NaN, samples: 0 } });
    expect(judged(result({ freshnessMs: none }))[1]?.verdict).toBe('FAIL');
  });
});

describe('stalled clients: all disconnected', () => {
  it('wants all ten gone', () => {
    expect(judged(result())[2]?.verdict).toBe('PASS');
    expect(judged(result({ disconnected: 0, disconnectAfterS: [] }))[2]?.verdict).toBe('FAIL');
  });

  it('judges only ten stalled clients: a --quick run is not judged', () => {
    const [quick] = stalledRuns(true);
    const checks = checkTargets([result({ scenario: quick })]).filter((c) =>
      c.target.startsWith('10 stalled clients (server defaults)'),
    );
    expect(checks.map((c) => c.verdict)).toEqual(['n/a', 'n/a', 'n/a']);
  });
});

describe('stalled plan', () => {
  it('runs the defaults variant at the server defaults', () => {
    expect(defaults.env).toEqual({});
  });

  it('runs heartbeat-off with INTEREST_K raised to the room, so every cursor comes at full rate', () => {
    expect(noHeartbeat.key).toBe('stalled/ws/tick/no-heartbeat');
    expect(noHeartbeat.env).toEqual({ HEARTBEAT_MS: '3600000', INTEREST_K: '500' });
    expect(Number(noHeartbeat.env.INTEREST_K)).toBe(noHeartbeat.users);
    expect(noHeartbeat.label).toMatch(/INTEREST_K = room size/);
    const [, quick] = stalledRuns(true);
    expect(quick.env.INTEREST_K).toBe(String(quick.users));
  });

  it('judges the heartbeat-off run under a name that says so', () => {
    const checks = checkTargets([result({ scenario: noHeartbeat })]).filter(
      (c) => c.scenario === 'stalled/ws/tick/no-heartbeat',
    );
    expect(checks.map((c) => c.target)).toEqual([
      expect.stringMatching(/^10 stalled clients \(heartbeat off, every cursor at full rate\)/),
      expect.stringMatching(/heartbeat off, every cursor at full rate/),
      expect.stringMatching(/heartbeat off, every cursor at full rate/),
    ]);
  });
});

describe('stalled table', () => {
  it('shows the send queues judged, the floors next to the peaks, and freshness split by rate', () => {
    const text = stalledTable(result());
    expect(text).toContain('| server send queues, peak before → during');
    expect(text).toContain('| 1 → 3 KiB |');
    expect(text).toContain('| 162 → 165 MiB |');
    expect(text).toContain('| 122 → 132 → 133 MiB |');
    expect(text).toContain('43.0 / 76.0 ms (420 / 1020 ms)');
    expect(text).toContain('| 1090 ms |');
    const noRest = freshness({ rest: { p99: Number.NaN, max: Number.NaN, samples: 0 } });
    expect(stalledTable(result({ freshnessMs: noRest }))).toContain('no low-rate cursors');
  });
});
