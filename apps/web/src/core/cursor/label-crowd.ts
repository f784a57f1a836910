/**
 * Which cursor labels step back when cursors crowd: with 100 people, full-size names on top of
 * each other hide the board and each other. Labels are placed in order of how much they matter
 * (someone chatting, then the cursor under our own pointer, then active people, then idle ones);
 * a label that would overlap one already placed is faded, and idle people's labels always are.
 * Past MAX_FULL labels in full the rest fade too: fifty names at once are not read, only seen.
 * Pure, so it is unit tested; cursors.ts runs it a few times a second, not every frame.
 */

export interface LabelBox {
  id: number;
  /** Screen pixels, relative to the board frame. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** 3 chatting, 2 under our pointer, 1 active, 0 idle, away or offline. */
  rank: number;
}

/** At most this many labels in full, besides those chatting or under our pointer. */
export const MAX_FULL = 24;
/** Labels closer than this (px) read as one smudge: they count as overlapping. */
const GAP = 6;

const overlaps = (a: LabelBox, b: LabelBox) =>
  a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;

/** The ids of the labels to fade. */
export function quietLabels(boxes: readonly LabelBox[]): Set<number> {
  const order = [...boxes].sort((a, b) => b.rank - a.rank || a.id - b.id);
  const placed: LabelBox[] = [];
  const quiet = new Set<number>();
  let full = 0;
  for (const box of order) {
    if (box.rank >= 2) {
      placed.push(box); // chatting or pointed at: always in full
    } else if (box.rank === 0 || full >= MAX_FULL || placed.some((p) => overlaps(p, box))) {
      quiet.add(box.id);
    } else {
      placed.push(box);
      full++;
    }
  }
  return quiet;
}
