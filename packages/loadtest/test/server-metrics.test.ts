import { describe, expect, it } from 'vitest';
import { metricValue, peakOf, SEND_QUEUE_METRIC } from '../src/server-metrics.ts';

/** Part of what the server's /metrics answers (prom-client's text exposition). */
const EXPOSITION = `# HELP cursorline_connections Open connections, by transport
# TYPE cursorline_connections gauge
cursorline_connections{transport="ws"} 500
# HELP cursorline_send_queue_bytes_total A longer name that starts with the same one
# TYPE cursorline_send_queue_bytes_total counter
cursorline_send_queue_bytes_total 99
# HELP cursorline_send_queue_bytes Bytes queued in the server for its connections (above the kernel socket buffers)
# TYPE cursorline_send_queue_bytes gauge
cursorline_send_queue_bytes 671744
# HELP cursorline_rooms Rooms with at least one user
# TYPE cursorline_rooms gauge
cursorline_rooms 1
`;

describe('metricValue', () => {
  it('reads the unlabelled sample, not the HELP line or a longer name', () => {
    expect(metricValue(EXPOSITION, SEND_QUEUE_METRIC)).toBe(671_744);
    expect(metricValue(EXPOSITION, 'cursorline_rooms')).toBe(1);
  });

  it('takes the value before an optional timestamp', () => {
    expect(metricValue('cursorline_send_queue_bytes 0 1700000000000\n', SEND_QUEUE_METRIC)).toBe(0);
  });

  it('is NaN for a metric that is missing or only labelled', () => {
    expect(metricValue(EXPOSITION, 'cursorline_users')).toBeNaN();
    expect(metricValue(EXPOSITION, 'cursorline_connections')).toBeNaN();
    expect(metricValue('', SEND_QUEUE_METRIC)).toBeNaN();
  });
});

describe('peakOf', () => {
  it('is the highest sample read, skipping missed ones', () => {
    expect(peakOf([0, Number.NaN, 65_600, 1024])).toBe(65_600);
    expect(peakOf([Number.NaN])).toBeNaN();
    expect(peakOf([])).toBeNaN();
  });
});
