import type { EdgeMarker } from '../../core/cursor/board-geometry.ts';

/** Two markers closer than this (center to center, px) would touch: they become one cluster. */
export const CLUSTER_PX = 40;

export interface Placed<T> {
  item: T;
  place: EdgeMarker;
}

/**
 * Groups off-screen markers that would overlap: each cluster sits where its first member's
 * marker would, and a marker joins the first cluster it would touch. Any two clusters are then
 * at least CLUSTER_PX apart, so no two discs overlap, however many people are out of sight.
 * Pure, so it is unit tested.
 */
export function clusterMarkers<T>(placed: readonly Placed<T>[]): Placed<T>[][] {
  const clusters: Placed<T>[][] = [];
  for (const p of placed) {
    const near = clusters.find((c) => {
      const anchor = c[0]?.place;
      return anchor && Math.hypot(anchor.x - p.place.x, anchor.y - p.place.y) < CLUSTER_PX;
    });
    if (near) near.push(p);
    else clusters.push([p]);
  }
  return clusters;
}
