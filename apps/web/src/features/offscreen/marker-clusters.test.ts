import { describe, expect, it } from 'vitest';
import { CLUSTER_PX, clusterMarkers } from './marker-clusters.ts';

const at = (item: number, x: number, y: number) => ({ item, place: { x, y, angle: 0 } });

describe('clusterMarkers', () => {
  it('keeps markers apart when they do not touch', () => {
    const clusters = clusterMarkers([at(1, 0, 0), at(2, 100, 0), at(3, 0, 100)]);
    expect(clusters.map((c) => c.map((p) => p.item))).toEqual([[1], [2], [3]]);
  });

  it('puts markers that would overlap into one cluster', () => {
    const clusters = clusterMarkers([at(1, 0, 0), at(2, 10, 5), at(3, 200, 0), at(4, 30, 0)]);
    expect(clusters.map((c) => c.map((p) => p.item))).toEqual([[1, 2, 4], [3]]);
  });

  it('leaves no two clusters closer than a disc, even for a hundred markers in a row', () => {
    const row = Array.from({ length: 100 }, (_, i) => at(i, i * 7, 500));
    const anchors = clusterMarkers(row).map((c) => c[0]?.place ?? { x: 0, y: 0 });
    for (const [i, a] of anchors.entries()) {
      for (const b of anchors.slice(i + 1)) {
        expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(CLUSTER_PX);
      }
    }
  });
});
