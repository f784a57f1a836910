import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../src/load-scenario.ts';
import { fmtMs, fmtRate, loadTable, table, warnings } from '../src/report.ts';
import { loadScenario } from '../src/scenarios.ts';
import { checkTargets } from '../src/targets.ts';

function result(over: Partial<LoadResult> = {}): LoadResult {
  return {
    kind: 'load',
    scenario: loadScenario('one-room', 500, 500, 'ws', 'tick', {
      quick: false,
      measureS: 10,
      warmupS: 3,
      observers: 20,
    }),
    rooms: 1,
    status: 'ok',
    connectSeconds: 1,
    measuredSeconds: 10,
    latencyMs: { p50: 20, p99: 45, max: 80, samples: 1000, unmatched: 0 },
    freshnessMs: { p50: 40, p99: 75, samples: 1000 },
    freshnessFullRateMs: { p50: 40, p99: 75, samples: 1000 },
    freshnessRestMs: { p50: Number.NaN, p99: Number.NaN, max: Number.NaN, samples: 0 },
    bytesPerRecipientPerS: 99_000,
    bytesPerMovingRecipientPerS: 99_000,
    rampFramesPerUserPerS: 2,
    batchGapMs: { p50: 40, p99: 45 },
    movesSentPerS: 15_000,
    movesWantedPerS: 15_000,
    deliveredUpdatesPerS: 6_190_000,
    framesPerS: 12_400,
    receivedMiBPerS: 47,
    bytesPerUpdate: 8.002,
    framedBytesPerUpdate: 8.01,
    serverCpuPct: 35,
    serverPeakRssMiB: 150,
    serverRssEndMiB: 120,
    generatorCpuPct: 45,
    generatorObserversCpuPct: 10,
    generatorCrowdCpuPct: 35,
    generatorLoopDelayP99Ms: 16,
    crowdLoopDelayP99Ms: 20,
    otherCpuPct: 0,
    drops: {},
    badFrames: 0,
    ...over,
  };
}

describe('report formatting', () => {
  it('formats numbers compactly', () => {
    expect(fmtMs(12.345)).toBe('12.3');
    expect(fmtMs(1234.5)).toBe('1235');
    expect(fmtMs(Number.NaN)).toBe('–');
    expect(fmtMs(Number.POSITIVE_INFINITY)).toBe('> 60 s');
    expect(fmtRate(6_190_000)).toBe('6.19M');
    expect(fmtRate(12_400)).toBe('12k');
    expect(fmtRate(1_234)).toBe('1.2k');
    expect(fmtRate(999)).toBe('999');
  });

  it('builds a Markdown table', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('flags a saturated generator, missing moves, and drops', () => {
    expect(warnings(result())).toEqual([]);
    const bad = warnings(
      result({
        generatorCpuPct: 110,
        generatorCrowdCpuPct: 97,
        movesSentPerS: 12_000,
        drops: { 1013: 3 },
      }),
    );
    expect(bad.join(' ')).toMatch(/crowd's thread at 97% CPU/);
    expect(bad.join(' ')).toMatch(/sent only 80%/);
    expect(bad.join(' ')).toMatch(/3× 1013/);
    expect(loadTable([result({ generatorObserversCpuPct: 95 })])).toMatch(
      /observers' thread at 95% CPU: saturated/,
    );
  });

  it('judges saturation per thread: two threads may use more than a core between them', () => {
    const busy = result({
      generatorCpuPct: 150,
      generatorObserversCpuPct: 70,
      generatorCrowdCpuPct: 80,
    });
    expect(warnings(busy)).toEqual([]);
    expect(loadTable([busy])).toContain('| 70% + 80% |');
  });
});

describe('targets', () => {
  it('passes and fails on the right numbers, and says what did not run', () => {
    const checks = checkTargets([
      result(),
      result({
        scenario: { ...result().scenario, key: 'one-room/sockjs/tick/500', transport: 'sockjs' },
        latencyMs: { p50: 50, p99: 140, max: 200, samples: 1, unmatched: 0 },
        bytesPerUpdate: 12.1,
      }),
    ]);
    const verdict = (start: string) => checks.find((c) => c.target.startsWith(start))?.verdict;
    expect(verdict('one room, 500 users, 30 Hz, ws: latency')).toBe('PASS');
    expect(verdict('one room, 500 users, 30 Hz, SockJS: latency')).toBe('FAIL');
    expect(verdict('wire bytes per update ≤ 10 on ws')).toBe('PASS');
    expect(verdict('wire bytes per update ≤ 20 on SockJS')).toBe('PASS');
    expect(verdict('rooms of 20, 1,000 users: freshness')).toBe('n/a');
  });

  it('fails a collapsed scenario whatever its numbers', () => {
    const checks = checkTargets([result({ status: 'collapsed', collapseReason: 'x' })]);
    expect(checks.find((c) => c.target.includes('ws: latency'))?.verdict).toBe('FAIL');
  });
});
