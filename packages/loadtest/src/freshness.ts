import type { Histogram } from './stats.ts';
import type { Sender } from './world.ts';

/** The part of an observer the sampler needs. */
export interface Holder {
  readonly index: number;
  readonly room: string;
  readonly node: number;
  readonly gone: boolean;
  /** Per sender index: when the newest position this observer holds of it was sent. */
  readonly held: Float64Array | null;
  /** Per sender index: 1 while it reaches this observer at full rate (interest, protocol v3). */
  readonly fullRate?: Uint8Array | null;
}

/** Samples split by whether the sender reaches the observer at full rate or at the low rate. */
export interface RateSplit {
  full: Histogram;
  rest: Histogram;
}

/**
 * Freshness answers "how old is what a user sees?", which latency alone does not: a server that
 * delivers fast but skips a busy room for a while has good latency and stale screens.
 *
 * For every observer and every other moving user in its room, one sample: now minus the send
 * time of the newest position of that user the observer holds. A sender not heard from yet
 * counts from its first move. Senders that left are not waited for. With several nodes, each
 * sample also goes to `byNode.same` or `byNode.cross`, by whether the two share a node.
 */
export function sampleFreshness(
  observers: readonly Holder[],
  membersOf: ReadonlyMap<string, readonly Sender[]>,
  now: number,
  into: Histogram,
  byNode?: { same: Histogram; cross: Histogram },
  split?: RateSplit,
): void {
  for (const observer of observers) {
    const held = observer.held;
    if (!held || observer.gone) continue;
    for (const sender of membersOf.get(observer.room) ?? []) {
      if (sender.index === observer.index || !sender.moving || sender.gone) continue;
      if (Number.isNaN(sender.firstSentAt)) continue;
      const sentAt = held[sender.index] ?? Number.NaN;
      const age = now - (Number.isNaN(sentAt) ? sender.firstSentAt : sentAt);
      into.record(age);
      if (byNode) (sender.node === observer.node ? byNode.same : byNode.cross).record(age);
      if (split) (observer.fullRate?.[sender.index] ? split.full : split.rest).record(age);
    }
  }
}
