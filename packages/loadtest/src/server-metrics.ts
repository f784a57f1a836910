/**
 * Reading the server's own figures from its Prometheus `/metrics` (apps/server/src/metrics.ts).
 * The bench needs one or two unlabelled gauges, so this parses the lines it wants from the text
 * exposition instead of taking on a client library.
 */

/** What the server holds in its userland send queues, summed over every connection (bytes). */
export const SEND_QUEUE_METRIC = 'cursorline_send_queue_bytes';

/**
 * A scrape that takes longer than this counts as missed: the bench samples once a second, and a
 * server too busy to answer in time must not stretch the loop that also samples freshness.
 */
const SCRAPE_TIMEOUT_MS = 1000;

/**
 * The value of the unlabelled sample `name value` in a text exposition; NaN when it is not there.
 * `# HELP` and `# TYPE` lines start with `#`, and a labelled sample (`name{…} value`) or a longer
 * name that starts with this one is followed by something other than a space, so neither matches.
 */
export function metricValue(exposition: string, name: string): number {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name} `)) continue;
    // A sample may end with a timestamp (`name value 1700000000000`): the value is the first field.
    const value = line
      .slice(name.length + 1)
      .trim()
      .split(' ', 1)[0];
    return value === undefined || value === '' ? Number.NaN : Number(value);
  }
  return Number.NaN;
}

/**
 * The send-queue gauge of the server at `baseUrl` (http://host:port), or NaN when the scrape failed
 * or timed out. NaN rather than an error: one missed sample should not end a scenario, and the
 * target that uses these samples counts the misses (a run where all were missed fails).
 */
export async function readSendQueueBytes(baseUrl: string): Promise<number> {
  try {
    const response = await fetch(`${baseUrl}/metrics`, {
      signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
    });
    if (!response.ok) return Number.NaN;
    return metricValue(await response.text(), SEND_QUEUE_METRIC);
  } catch {
    return Number.NaN;
  }
}

/** The highest of the samples that were read (NaN when none was). */
export function peakOf(samples: readonly number[]): number {
  const read = samples.filter(Number.isFinite);
  return read.length > 0 ? Math.max(...read) : Number.NaN;
}
