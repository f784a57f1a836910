import { backplaneCost, type NodesPair } from './backplane-cost.ts';
import type { IdleResult } from './idle-scenario.ts';
import { type LoadResult, SATURATED_CPU_PCT } from './load-scenario.ts';
import type { HotFunction } from './profile.ts';
import type { StalledResult } from './stalled-scenario.ts';
import type { TargetCheck } from './targets.ts';

/**
 * Turns results into Markdown tables: readable in a terminal, and pasted as is into
 * docs/benchmark.md. Pure functions of the results, so they are unit-tested.
 */

/** 12.3 below 100, whole numbers above: enough digits to compare, not more. */
export function fmtMs(v: number): string {
  if (Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return '> 60 s';
  return v < 100 ? v.toFixed(1) : Math.round(v).toString();
}

/** 1234 → 1.2k, 6190121 → 6.19M. */
export function fmtRate(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${Math.round(v / 1e3)}k`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return Math.round(v).toString();
}

export function fmtPct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v)}%` : '–';
}

/** Bytes as whole KiB (the send-queue gauge); – for a sample that was not read. */
export function fmtKib(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / 1024).toFixed(0) : '–';
}

/** A difference, always signed: +12.3, −0.4, +150. */
export function fmtDelta(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const size = fmtMs(Math.abs(v));
  return v < 0 && size !== '0.0' ? `−${size}` : `+${size}`;
}

const pair = (a: number, b: number) => `${fmtMs(a)} / ${fmtMs(b)}`;

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * The generator's CPU as "observers + crowd": its two JavaScript threads, each % of one core
 * (each runs one event loop, so each saturates at 100 %).
 */
export function fmtGeneratorCpu(r: {
  generatorObserversCpuPct: number;
  generatorCrowdCpuPct: number;
}): string {
  return `${fmtPct(r.generatorObserversCpuPct)} + ${fmtPct(r.generatorCrowdCpuPct)}`;
}

/** Why a row should not be taken at face value, if it should not. */
export function warnings(r: LoadResult): string[] {
  const out: string[] = [];
  if (r.status === 'collapsed') out.push(`collapsed: ${r.collapseReason}`);
  // Saturated: a thread near a whole core (the process as a whole may use up to 2 cores).
  const busiest = Math.max(r.generatorObserversCpuPct, r.generatorCrowdCpuPct);
  if (busiest > SATURATED_CPU_PCT) {
    const which = busiest === r.generatorCrowdCpuPct ? "crowd's" : "observers'";
    out.push(
      `⚠ generator's ${which} thread at ${fmtPct(busiest)} CPU: saturated, numbers include its delay`,
    );
  }
  if (r.movesSentPerS < 0.95 * r.movesWantedPerS) {
    out.push(
      `⚠ generator sent only ${fmtPct((100 * r.movesSentPerS) / r.movesWantedPerS)} of the moves`,
    );
  }
  if (r.otherCpuPct > 25) out.push(`⚠ other processes used ${fmtPct(r.otherCpuPct)} CPU`);
  if (r.otherCpuByAttempt) {
    out.push(
      `least disturbed of ${r.otherCpuByAttempt.length} runs (others' CPU: ${r.otherCpuByAttempt.map(fmtPct).join(', ')})`,
    );
  }
  const drops = Object.entries(r.drops);
  if (drops.length > 0)
    out.push(`dropped: ${drops.map(([code, n]) => `${n}× ${code}`).join(', ')}`);
  if (r.latencyMs.unmatched > 0) out.push(`${r.latencyMs.unmatched} updates too late to match`);
  if (r.badFrames > 0) out.push(`${r.badFrames} undecodable frames`);
  return out;
}

export function loadTable(results: readonly LoadResult[]): string {
  return table(
    [
      'scenario',
      'users',
      'rooms',
      'Hz',
      'transport',
      'fan-out',
      'latency p50 / p99 ms',
      'freshness p50 / p99 ms',
      'updates/s',
      'frames/s',
      'B/update',
      'B/recipient/s',
      'room MiB/s',
      'server CPU',
      'server peak RSS',
      'gen CPU obs + crowd',
      'notes',
    ],
    results.map((r) => [
      r.scenario.group,
      String(r.scenario.users),
      String(r.rooms),
      String(r.scenario.rate),
      r.scenario.transport,
      r.scenario.fanout,
      `${fmtMs(r.latencyMs.p50)} / ${fmtMs(r.latencyMs.p99)}`,
      `${fmtMs(r.freshnessMs.p50)} / ${fmtMs(r.freshnessMs.p99)}`,
      fmtRate(r.deliveredUpdatesPerS),
      fmtRate(r.framesPerS),
      Number.isFinite(r.bytesPerUpdate) ? r.bytesPerUpdate.toFixed(2) : '–',
      fmtBytes(r.bytesPerRecipientPerS),
      r.receivedMiBPerS.toFixed(1),
      fmtPct(r.serverCpuPct),
      `${Math.round(r.serverPeakRssMiB)} MiB`,
      fmtGeneratorCpu(r),
      warnings(r).join('; ') || 'ok',
    ]),
  );
}

const ratio = (a: number, b: number) =>
  b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(1)}×` : '–';

/** Per-move fan-out next to tick at the same sizes; ratios are per-move ÷ tick. */
export function perMoveTable(pairs: readonly { tick: LoadResult; perMove: LoadResult }[]): string {
  return table(
    [
      'users',
      'latency p99 tick / per-move',
      'ratio',
      'freshness p99 tick / per-move',
      'ratio',
      'server CPU tick / per-move',
      'ratio',
      'frames/s tick / per-move',
      'ratio',
      'per-move status',
    ],
    pairs.map(({ tick, perMove }) => [
      String(tick.scenario.users),
      `${fmtMs(tick.latencyMs.p99)} / ${fmtMs(perMove.latencyMs.p99)}`,
      ratio(perMove.latencyMs.p99, tick.latencyMs.p99),
      `${fmtMs(tick.freshnessMs.p99)} / ${fmtMs(perMove.freshnessMs.p99)}`,
      ratio(perMove.freshnessMs.p99, tick.freshnessMs.p99),
      `${fmtPct(tick.serverCpuPct)} / ${fmtPct(perMove.serverCpuPct)}`,
      ratio(perMove.serverCpuPct, tick.serverCpuPct),
      `${fmtRate(tick.framesPerS)} / ${fmtRate(perMove.framesPerS)}`,
      ratio(perMove.framesPerS, tick.framesPerS),
      perMove.status === 'ok' ? 'ok' : `collapsed: ${perMove.collapseReason}`,
    ]),
  );
}

/**
 * One server and several nodes over Redis, side by side: two rows per size. On one server every
 * pair is a same-node pair, so its same-node column is all of it and it has no cross-node one.
 */
export function nodesTable(pairs: readonly NodesPair[]): string {
  const row = (r: LoadResult): string[] => {
    const c = r.cluster;
    return [
      String(r.scenario.users),
      String(r.rooms),
      c ? `${r.scenario.nodes} nodes + Redis` : '1 server',
      pair(r.latencyMs.p50, r.latencyMs.p99),
      c
        ? pair(c.latencySameNodeMs.p50, c.latencySameNodeMs.p99)
        : pair(r.latencyMs.p50, r.latencyMs.p99),
      c ? pair(c.latencyCrossNodeMs.p50, c.latencyCrossNodeMs.p99) : '–',
      pair(r.freshnessMs.p50, r.freshnessMs.p99),
      c ? pair(c.freshnessCrossNodeMs.p50, c.freshnessCrossNodeMs.p99) : '–',
      fmtRate(r.deliveredUpdatesPerS),
      Number.isFinite(r.bytesPerUpdate) ? r.bytesPerUpdate.toFixed(2) : '–',
      fmtBytes(r.bytesPerRecipientPerS),
      c
        ? c.processes.map((p) => `${p.name} ${fmtPct(p.cpuPct)}`).join(', ')
        : `server ${fmtPct(r.serverCpuPct)}`,
      fmtPct(r.serverCpuPct),
      fmtGeneratorCpu(r),
      warnings(r).join('; ') || 'ok',
    ];
  };
  return table(
    [
      'users',
      'rooms',
      'setup',
      'latency p50 / p99 ms',
      'same-node p50 / p99',
      'cross-node p50 / p99',
      'freshness p50 / p99 ms',
      'cross-node freshness p50 / p99',
      'updates/s',
      'B/update',
      'B/recipient/s',
      'server processes',
      'server CPU (all)',
      'gen CPU obs + crowd',
      'notes',
    ],
    pairs.flatMap(({ single, multi }) => [row(single), row(multi)]),
  );
}

/**
 * What the backplane costs at each size: latency and freshness added, CPU, Redis traffic, and
 * the offset between the nodes' ticks that the cross-node latency depends on (tick-phase.ts).
 */
export function backplaneTable(pairs: readonly NodesPair[]): string {
  return table(
    [
      'users',
      'rooms',
      'latency added p50 / p99 ms (cross-node − 1 server)',
      'same-node change p50 / p99 ms',
      'freshness added p50 / p99 ms (cross-node − 1 server)',
      'server CPU 1 server → nodes + Redis',
      'of which redis-server',
      'Redis publishes/s',
      'Redis in / out KiB/s',
      'node ticks after node 1',
      'notes',
    ],
    pairs.map((p) => {
      const cost = backplaneCost(p);
      const redis = p.multi.cluster?.redis;
      return [
        String(cost.users),
        String(cost.rooms),
        `${fmtDelta(cost.latencyAddedMs.p50)} / ${fmtDelta(cost.latencyAddedMs.p99)}`,
        `${fmtDelta(cost.sameNodeChangeMs.p50)} / ${fmtDelta(cost.sameNodeChangeMs.p99)}`,
        `${fmtDelta(cost.freshnessAddedMs.p50)} / ${fmtDelta(cost.freshnessAddedMs.p99)}`,
        `${fmtPct(p.single.serverCpuPct)} → ${fmtPct(p.multi.serverCpuPct)}`,
        fmtPct(cost.redisCpuPct),
        redis ? fmtRate(redis.publishesPerS) : '–',
        redis ? `${fmtRate(redis.inKiBPerS)} / ${fmtRate(redis.outKiBPerS)}` : '–',
        p.multi.cluster?.tickOffsetsMs.map((ms) => `${fmtMs(ms)} ms`).join(', ') || '–',
        [p.single, p.multi].some((r) => warnings(r).some((w) => !w.startsWith('least disturbed')))
          ? '⚠ compares a flagged row (see notes above)'
          : 'ok',
      ];
    }),
  );
}

export function idleTable(results: readonly IdleResult[]): string {
  return table(
    [
      'transport',
      'idle users',
      'server RSS before',
      'after',
      'RSS per connection',
      'of which JS heap',
      'RSS per connection without forced GC',
    ],
    results.map((r) => [
      r.scenario.transport,
      String(r.scenario.users),
      `${r.rssBeforeMiB.toFixed(1)} MiB`,
      `${r.rssAfterMiB.toFixed(1)} MiB`,
      `${r.kibPerConnection.toFixed(1)} KiB`,
      `${r.heapKibPerConnection.toFixed(1)} KiB`,
      `${r.kibPerConnectionNoGc.toFixed(1)} KiB`,
    ]),
  );
}

export function stalledTable(r: StalledResult): string {
  const codes = Object.entries(r.stalledCloseCodes)
    .map(([code, n]) => `${n}× ${code}`)
    .join(', ');
  const kicked =
    r.disconnectAfterS.length > 0
      ? `${r.disconnected}/${r.scenario.stalled}, after ${r.disconnectAfterS[0]?.toFixed(1)}–${r.disconnectAfterS.at(-1)?.toFixed(1)} s`
      : `0/${r.scenario.stalled}`;
  return table(
    ['what', 'measured'],
    [
      [
        'room',
        `${r.scenario.users} users at ${r.scenario.rate} Hz over ws, ${r.scenario.stalled} stop reading; ${r.scenario.label}`,
      ],
      ['stall watched for', `${r.stallSeconds.toFixed(0)} s`],
      [
        'server send queues, peak before → during (judged: ≤ 10 × HARD_BUFFER_BYTES)',
        `${fmtKib(r.baselineSendQueuePeakBytes)} → ${fmtKib(r.sendQueuePeakBytes)} KiB`,
      ],
      [
        'server RSS each second before the stall (MiB)',
        r.baselineRssMiB.map((v) => v.toFixed(0)).join(' '),
      ],
      ['server RSS each second during it (MiB)', r.rssMiB.map((v) => v.toFixed(0)).join(' ')],
      [
        'peak RSS before → during (GC sawtooth: shown, not judged)',
        `${r.baselineMaxMiB.toFixed(0)} → ${r.rssMaxMiB.toFixed(0)} MiB`,
      ],
      [
        'RSS floor (after GC): before → first 10 s → last 10 s of the stall (creeps with the heap: shown, not judged)',
        `${r.baselineFloorMiB.toFixed(0)} → ${r.floorFirstMiB.toFixed(0)} → ${r.floorLastMiB.toFixed(0)} MiB`,
      ],
      ['stalled clients disconnected (seen by others)', kicked],
      [
        'how the others saw them go',
        Object.entries(r.removedHow)
          .map(([how, n]) => `${n}× ${how}`)
          .join(', '),
      ],
      ['close codes the stalled clients saw', codes],
      ['other clients dropped', String(r.othersDropped)],
      ['others: latency p50 / p99', `${fmtMs(r.latencyMs.p50)} / ${fmtMs(r.latencyMs.p99)} ms`],
      ...(['before the stall', 'during it'] as const).flatMap((when) => {
        const f = when === 'during it' ? r.freshnessMs : r.baselineFreshnessMs;
        return [
          [
            `others: freshness full-rate p50 / p99 ${when} (all cursors)`,
            `${fmtMs(f.fullRate.p50)} / ${fmtMs(f.fullRate.p99)} ms (${fmtMs(f.p50)} / ${fmtMs(f.p99)} ms)`,
          ],
          [
            `others: rest (low rate) refreshed within, ${when}`,
            f.rest.samples > 0 ? `${fmtMs(f.rest.max)} ms` : 'no low-rate cursors',
          ],
        ];
      }),
      [
        'server CPU / generator CPU (observers + crowd) / other processes',
        `${fmtPct(r.serverCpuPct)} / ${fmtGeneratorCpu(r)} / ${fmtPct(r.otherCpuPct)}` +
          (r.otherCpuByAttempt
            ? ` (least disturbed of ${r.otherCpuByAttempt.length} runs; others' CPU: ${r.otherCpuByAttempt.map(fmtPct).join(', ')})`
            : ''),
      ],
    ],
  );
}

export function profileTable(key: string, hot: readonly HotFunction[]): string {
  return `Server CPU profile, ${key} (self time, % of busy samples):\n\n${table(
    ['function', 'self'],
    hot.map((h) => [`\`${h.name}\``, `${h.pct.toFixed(1)}%`]),
  )}`;
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return table(
    ['target', 'measured', 'scenario', 'verdict'],
    checks.map((c) => [
      c.target,
      c.measured,
      c.scenario || '–',
      c.verdict === 'FAIL' ? '**FAIL**' : c.verdict,
    ]),
  );
}

/** Bytes per second, in B, KB or MB (powers of 1000, as the interest targets are stated). */
export function fmtBytes(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} MB`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} KB`;
  return `${v.toFixed(0)} B`;
}

/**
 * What a recipient would receive without interest management, for comparison: every other
 * cursor every tick in the compact encoding (protocol v2), and as the tutorial's JSON per move
 * (~80 bytes an update). Computed, not measured: neither design can run these sizes here.
 */
function withoutInterest(r: LoadResult): { v2: number; tutorial: number } {
  const others = (r.scenario.active ?? r.scenario.users) - 1; // those moving
  return { v2: others * 8 * r.scenario.rate, tutorial: others * 80 * r.scenario.rate };
}

/** One progress line for a crowd run. */
export function interestLine(r: LoadResult): string {
  const { v2 } = withoutInterest(r);
  return (
    `bytes per recipient ${fmtBytes(r.bytesPerRecipientPerS)}/s (everyone-to-everyone would be ${fmtBytes(v2)}/s), ` +
    `freshness full-rate p99 ${fmtMs(r.freshnessFullRateMs.p99)} ms, rest p99 ${fmtMs(r.freshnessRestMs.p99)} / max ${fmtMs(r.freshnessRestMs.max)} ms`
  );
}

/** The crowd scenarios: what interest management buys, per recipient and for the room. */
export function crowdTable(results: readonly LoadResult[]): string {
  return table(
    [
      'scenario',
      'users',
      'Hz',
      'nodes',
      'latency p50 / p99 ms',
      'same-node / cross-node latency p50 ms',
      'freshness full-rate p50 / p99 ms',
      'freshness rest p99 / max ms',
      'B/recipient/s',
      'v2 / tutorial B/recipient/s (computed)',
      'room MiB/s',
      'server CPU',
      'server peak RSS (per user)',
      'gen CPU obs + crowd',
      'notes',
    ],
    results.map((r) => {
      const c = r.cluster;
      const { v2, tutorial } = withoutInterest(r);
      return [
        r.scenario.key,
        String(r.scenario.users),
        String(r.scenario.rate),
        String(r.scenario.nodes),
        `${fmtMs(r.latencyMs.p50)} / ${fmtMs(r.latencyMs.p99)}`,
        c ? `${fmtMs(c.latencySameNodeMs.p50)} / ${fmtMs(c.latencyCrossNodeMs.p50)}` : '–',
        `${fmtMs(r.freshnessFullRateMs.p50)} / ${fmtMs(r.freshnessFullRateMs.p99)}`,
        `${fmtMs(r.freshnessRestMs.p99)} / ${fmtMs(r.freshnessRestMs.max)}`,
        r.scenario.active === undefined
          ? fmtBytes(r.bytesPerRecipientPerS)
          : `${fmtBytes(r.bytesPerRecipientPerS)} (moving: ${fmtBytes(r.bytesPerMovingRecipientPerS)})`,
        `${fmtBytes(v2)} / ${fmtBytes(tutorial)}`,
        r.receivedMiBPerS.toFixed(1),
        fmtPct(r.serverCpuPct),
        `${Math.round(r.serverPeakRssMiB)} MiB (${((r.serverPeakRssMiB * 1024) / r.scenario.users).toFixed(0)} KiB)`,
        fmtGeneratorCpu(r),
        warnings(r).join('; ') || 'ok',
      ];
    }),
  );
}
