import { describe, expect, it } from 'vitest';
import { type Holder, sampleFreshness } from '../src/freshness.ts';
import { Histogram } from '../src/stats.ts';
import { type Sender, World } from '../src/world.ts';

function sender(index: number, node: number, firstSentAt = 0): Sender {
  return {
    index,
    room: 'r',
    node,
    id: index + 1,
    moving: true,
    gone: false,
    goneAt: Number.NaN,
    goneHow: undefined,
    firstSentAt,
    sentAt: () => undefined,
  };
}

describe('sampleFreshness', () => {
  const members = new Map([['r', [sender(0, 0), sender(1, 1), sender(2, 0), sender(3, 1)]]]);
  // Observer 0 (node 0) holds user 1's move sent at 900, user 2's at 950, nothing of user 3.
  const observer: Holder = {
    index: 0,
    room: 'r',
    node: 0,
    gone: false,
    held: Float64Array.from([Number.NaN, 900, 950, Number.NaN]),
  };

  it('records the age of what each observer holds of every other mover', () => {
    const all = new Histogram();
    sampleFreshness([observer], members, 1000, all);
    expect(all.count).toBe(3);
    expect(all.max).toBe(1000); // user 3: never heard, counted from its first move (at 0)
  });

  it('splits the samples by whether observer and sender share a node', () => {
    const all = new Histogram();
    const byNode = { same: new Histogram(), cross: new Histogram() };
    sampleFreshness([observer], members, 1000, all, byNode);
    expect(byNode.same.count).toBe(1);
    expect(byNode.same.max).toBe(50);
    expect(byNode.cross.count).toBe(2);
    // Ages 100 (user 1) and 1000 (user 3); a percentile is its bucket's upper edge (0.1 ms wide).
    expect(byNode.cross.percentile(50)).toBeCloseTo(100.1, 5);
    expect(byNode.cross.max).toBe(1000);
  });
});

describe('World latency', () => {
  it('keeps all pairs and the same-node / cross-node split, and resets them together', () => {
    const world = new World(4);
    world.recordLatency(10, true);
    world.recordLatency(30, false);
    world.recordLatency(32, false);
    expect(world.latency.count).toBe(3);
    expect(world.sameNodeLatency.count).toBe(1);
    expect(world.crossNodeLatency.count).toBe(2);
    world.resetLatency();
    expect(world.latency.count + world.sameNodeLatency.count + world.crossNodeLatency.count).toBe(
      0,
    );
    expect(world.recentLatency.count).toBe(3); // the collapse watch keeps its own second
  });
});
