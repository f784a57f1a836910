import { describe, expect, it } from 'vitest';
import { backplaneCost } from '../src/backplane-cost.ts';
import type { ClusterDetail, LoadResult } from '../src/load-scenario.ts';
import { backplaneTable, fmtDelta, nodesTable } from '../src/report.ts';
import { loadScenario } from '../src/scenarios.ts';

const options = { quick: false, measureS: 10, warmupS: 3, observers: 20 };

function result(nodes: number, over: Partial<LoadResult> = {}): LoadResult {
  return {
    kind: 'load',
    scenario: loadScenario('nodes', 500, 500, 'ws', 'tick', options, nodes),
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
    serverCpuPct: 32,
    serverPeakRssMiB: 150,
    serverRssEndMiB: 120,
    generatorCpuPct: 30,
    generatorObserversCpuPct: 8,
    generatorCrowdCpuPct: 22,
    crowdLoopDelayP99Ms: 20,
    generatorLoopDelayP99Ms: 16,
    otherCpuPct: 0,
    drops: {},
    badFrames: 0,
    ...over,
  };
}

const cluster: ClusterDetail = {
  latencySameNodeMs: { p50: 21, p99: 47, samples: 500 },
  latencyCrossNodeMs: { p50: 42.5, p99: 85, samples: 500 },
  freshnessSameNodeMs: { p50: 41, p99: 76, samples: 500 },
  freshnessCrossNodeMs: { p50: 60, p99: 110, samples: 500 },
  tickOffsetsMs: [12.34],
  processes: [
    { name: 'node 1', cpuPct: 20, peakRssMiB: 100 },
    { name: 'node 2', cpuPct: 19, peakRssMiB: 100 },
    { name: 'redis', cpuPct: 3, peakRssMiB: 10 },
  ],
  redis: { publishesPerS: 52, commandsPerS: 53, inKiBPerS: 160, outKiBPerS: 160 },
};

const single = result(1);
const multi = result(2, { serverCpuPct: 42, cluster });

describe('backplaneCost', () => {
  it('subtracts the one-server figures from the cross-node and same-node ones', () => {
    const cost = backplaneCost({ single, multi });
    expect(cost.latencyAddedMs).toEqual({ p50: 22.5, p99: 40 });
    expect(cost.sameNodeChangeMs).toEqual({ p50: 1, p99: 2 });
    expect(cost.freshnessAddedMs).toEqual({ p50: 20, p99: 35 });
    expect(cost.serverCpuAddedPct).toBe(10);
    expect(cost.redisCpuPct).toBe(3);
    expect(cost.users).toBe(500);
  });

  it('is NaN, not zero, when the multi-node run has no split', () => {
    const cost = backplaneCost({ single, multi: result(2) });
    expect(cost.latencyAddedMs.p50).toBeNaN();
    expect(cost.redisCpuPct).toBeNaN();
  });
});

describe('nodes report', () => {
  it('signs differences', () => {
    expect(fmtDelta(22.5)).toBe('+22.5');
    expect(fmtDelta(-0.44)).toBe('−0.4');
    expect(fmtDelta(-0.01)).toBe('+0.0');
    expect(fmtDelta(150.2)).toBe('+150');
    expect(fmtDelta(Number.NaN)).toBe('–');
  });

  it('puts one server and the nodes side by side, each process with its CPU', () => {
    const lines = nodesTable([{ single, multi }]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('| 1 server | 20.0 / 45.0 | 20.0 / 45.0 | – |');
    expect(lines[3]).toContain('| 2 nodes + Redis | 20.0 / 45.0 | 21.0 / 47.0 | 42.5 / 85.0 |');
    expect(lines[3]).toContain('node 1 20%, node 2 19%, redis 3% | 42% |');
  });

  it('shows the cost of the backplane', () => {
    const row = backplaneTable([{ single, multi }]).split('\n')[2];
    expect(row).toBe(
      '| 500 | 1 | +22.5 / +40.0 | +1.0 / +2.0 | +20.0 / +35.0 | 32% → 42% | 3% | 52 | 160 / 160 | 12.3 ms | ok |',
    );
    const disturbed = backplaneTable([{ single: result(1, { otherCpuPct: 60 }), multi }]);
    expect(disturbed).toContain('⚠ compares a flagged row');
  });
});
