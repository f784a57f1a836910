/**
 * Percentiles without keeping every sample. A 500-user room gives the observers about 250,000
 * latency samples a second; storing and sorting them would make the load generator the
 * bottleneck. A histogram with fixed buckets records in O(1) and answers any percentile.
 *
 * Buckets: 0.1 ms wide up to 1 s (where precision matters), 10 ms wide up to 60 s, then one
 * overflow bucket. A percentile is reported as the upper edge of its bucket, so it never
 * flatters the result.
 */
const FINE_MS = 0.1;
const FINE_LIMIT_MS = 1000;
const COARSE_MS = 10;
const COARSE_LIMIT_MS = 60_000;
const FINE_BUCKETS = FINE_LIMIT_MS / FINE_MS;
const COARSE_BUCKETS = (COARSE_LIMIT_MS - FINE_LIMIT_MS) / COARSE_MS;

export class Histogram {
  private readonly counts = new Uint32Array(FINE_BUCKETS + COARSE_BUCKETS + 1);
  private n = 0;
  private maxMs = 0;

  record(ms: number): void {
    const v = Math.max(ms, 0); // clock granularity can make a tiny interval look negative
    const bucket = bucketOf(v);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.n++;
    if (v > this.maxMs) this.maxMs = v;
  }

  get count(): number {
    return this.n;
  }

  get max(): number {
    return this.maxMs;
  }

  /** The value below which `p` percent of the samples fall (NaN when empty). */
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(upperEdge(i), this.maxMs);
    }
    return this.maxMs;
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.maxMs = 0;
  }
}

function bucketOf(ms: number): number {
  if (ms < FINE_LIMIT_MS) return Math.floor(ms / FINE_MS);
  if (ms < COARSE_LIMIT_MS) return FINE_BUCKETS + Math.floor((ms - FINE_LIMIT_MS) / COARSE_MS);
  return FINE_BUCKETS + COARSE_BUCKETS;
}

function upperEdge(bucket: number): number {
  if (bucket < FINE_BUCKETS) return (bucket + 1) * FINE_MS;
  if (bucket < FINE_BUCKETS + COARSE_BUCKETS) {
    return FINE_LIMIT_MS + (bucket - FINE_BUCKETS + 1) * COARSE_MS;
  }
  return Number.POSITIVE_INFINITY;
}

/** Exact nearest-rank percentile of a small list (used for the RSS and CPU samples). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
