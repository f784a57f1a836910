import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { clockOf } from '../src/crowd.ts';
import { SHARED_TRAFFIC_BYTES, sharedTraffic, sumTraffic } from '../src/world.ts';

describe('clockOf: one time base for both threads', () => {
  it('adds the difference between the two time origins', () => {
    // A "main thread" that started 1,234.5 ms before this one.
    const clock = clockOf(performance.timeOrigin - 1234.5);
    const before = performance.now();
    const at = clock();
    const after = performance.now();
    expect(at).toBeGreaterThanOrEqual(before + 1234.5);
    expect(at).toBeLessThanOrEqual(after + 1234.5);
  });

  it('keeps sub-millisecond precision (the offset is taken before adding)', () => {
    const clock = clockOf(performance.timeOrigin);
    const at = clock();
    const now = performance.now();
    expect(now - at).toBeGreaterThanOrEqual(0);
    expect(now - at).toBeLessThan(0.5);
  });

  it("reads, in a real worker started through the crowd's boot file, between main's readings", async () => {
    const before = performance.now();
    const worker = new Worker(new URL('../src/crowd-worker-boot.mjs', import.meta.url), {
      workerData: {
        entry: new URL('./fixtures/clock-worker.ts', import.meta.url).href,
        mainTimeOrigin: performance.timeOrigin,
      },
    });
    try {
      const reply = await new Promise<{ at: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const after = performance.now();
      expect(reply.at).toBeGreaterThanOrEqual(before);
      expect(reply.at).toBeLessThanOrEqual(after);
    } finally {
      await worker.terminate();
    }
  }, 20_000);
});

describe('shared traffic counters', () => {
  it('are seen through another view of the same buffer, and add up with plain ones', () => {
    const buffer = new SharedArrayBuffer(SHARED_TRAFFIC_BYTES);
    const writer = sharedTraffic(buffer);
    const reader = sharedTraffic(buffer);
    writer.frames++;
    writer.frames++;
    writer.bytes += 1500;
    writer.movesSent += 25;
    expect(reader.frames).toBe(2);
    expect(reader.bytes).toBe(1500);
    expect(reader.updates).toBe(0);
    const total = sumTraffic(reader, {
      frames: 1,
      bytes: 10,
      movingBytes: 4,
      framedBytes: 12,
      updates: 3,
      movesSent: 5,
    });
    expect(total).toEqual({
      frames: 3,
      bytes: 1510,
      movingBytes: 4,
      framedBytes: 12,
      updates: 3,
      movesSent: 30,
    });
    // The sum is a copy: later increments do not change it.
    writer.frames++;
    expect(total.frames).toBe(3);
  });

  it('spread into a snapshot like a plain Traffic', () => {
    const traffic = sharedTraffic(new SharedArrayBuffer(SHARED_TRAFFIC_BYTES));
    traffic.updates += 7;
    expect({ ...traffic }).toMatchObject({ updates: 7, frames: 0 });
  });
});
