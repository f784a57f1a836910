import { BOARD_HEIGHT, BOARD_WIDTH, type Point, type View } from '@cursorline/protocol';

/**
 * Interest management: which cursors a recipient gets at full rate (every tick). In a room of
 * 1,000 people all moving, sending everyone everyone costs each of them ~200 KB/s; nobody can
 * look at 1,000 cursors anyway. So each recipient gets at most K cursors at full rate, chosen by
 * what it is likely looking at, and the rest of the room at a low rate (see Room).
 *
 * Priority, highest first:
 *   0. the user it follows;
 *   1. people chatting or reacting (a few seconds after they did);
 *   2. people whose cursor is inside its view (the board area it reported);
 *   3. people near its view (one grid cell around it);
 *   4. everyone else;
 * and within a tier the most recently active first (the newest streak of moves).
 *
 * Cost must not become per-recipient work: the board is cut into a grid of cells, and a
 * recipient's selection depends only on the cells its view covers and whom it follows (its
 * "key"). Recipients with the same key share one selection, and the Room encodes one frame per
 * key and tick. A recipient without a view (it has not reported one) sees the whole board.
 */

export const CELL_SIZE = 200;
export const GRID_COLS = Math.ceil(BOARD_WIDTH / CELL_SIZE);
export const GRID_ROWS = Math.ceil(BOARD_HEIGHT / CELL_SIZE);

/** A user who may be sent at full rate: someone who moved recently. */
export interface Candidate {
  readonly id: number;
  readonly at: Point | null;
  /** When their current streak of moves began (monotonic ms); newer streaks rank first. */
  readonly activeSince: number;
  /** Chatted or reacted a moment ago. */
  readonly hot: boolean;
}

/** What a recipient's selection depends on. */
export interface Viewer {
  readonly view: View | null;
  readonly follow: number | null;
}

interface CellRect {
  c0: number;
  r0: number;
  c1: number;
  r1: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function cellOf(at: Point): number {
  const c = clamp(Math.floor(at.x / CELL_SIZE), 0, GRID_COLS - 1);
  const r = clamp(Math.floor(at.y / CELL_SIZE), 0, GRID_ROWS - 1);
  return r * GRID_COLS + c;
}

function cellsOf(view: View): CellRect {
  return {
    c0: clamp(Math.floor(view.x / CELL_SIZE), 0, GRID_COLS - 1),
    r0: clamp(Math.floor(view.y / CELL_SIZE), 0, GRID_ROWS - 1),
    c1: clamp(Math.floor((view.x + view.w) / CELL_SIZE), 0, GRID_COLS - 1),
    r1: clamp(Math.floor((view.y + view.h) / CELL_SIZE), 0, GRID_ROWS - 1),
  };
}

/** Recipients with equal keys get equal selections (so one shared frame). */
export function viewerKey({ view, follow }: Viewer): string {
  const cells = view ? cellsOf(view) : null;
  const area = cells ? `${cells.c0},${cells.r0},${cells.c1},${cells.r1}` : 'all';
  return `${area}|${follow ?? ''}`;
}

/** 2 inside the view's cells, 3 in the ring of cells around them, 4 elsewhere. */
function spatialTier(cell: number, rect: CellRect | null): number {
  if (!rect) return 2;
  const c = cell % GRID_COLS;
  const r = Math.floor(cell / GRID_COLS);
  if (c >= rect.c0 && c <= rect.c1 && r >= rect.r0 && r <= rect.r1) return 2;
  if (c >= rect.c0 - 1 && c <= rect.c1 + 1 && r >= rect.r0 - 1 && r <= rect.r1 + 1) return 3;
  return 4;
}

/**
 * The candidates of one refresh, sorted once (most recent first), so that a selection is a few
 * passes over that list, not a sort of the room per recipient; and cached per viewer key.
 */
export class InterestIndex {
  /** Hot candidates, then the rest; each part most recent first. */
  private readonly hot: Candidate[] = [];
  private readonly rest: { c: Candidate; cell: number }[] = [];
  private readonly byId = new Map<number, Candidate>();
  private readonly cache = new Map<string, readonly number[]>();

  constructor(
    candidates: Iterable<Candidate>,
    private readonly k: number,
  ) {
    for (const c of candidates) {
      this.byId.set(c.id, c);
      if (c.hot) this.hot.push(c);
      else this.rest.push({ c, cell: c.at ? cellOf(c.at) : -1 });
    }
    this.hot.sort((a, b) => b.activeSince - a.activeSince);
    this.rest.sort((a, b) => b.c.activeSince - a.c.activeSince);
  }

  /** How many users are moving (if no more than K, everyone gets everyone at full rate). */
  get size(): number {
    return this.byId.size;
  }

  /** The ids a viewer gets at full rate, in priority order, at most K. Cached per key. */
  select(viewer: Viewer): readonly number[] {
    const key = viewerKey(viewer);
    let ids = this.cache.get(key);
    if (!ids) {
      ids = this.compute(viewer);
      this.cache.set(key, ids);
    }
    return ids;
  }

  private compute({ view, follow }: Viewer): number[] {
    const out: number[] = [];
    const taken = new Set<number>();
    const take = (c: Candidate) => {
      if (out.length >= this.k || taken.has(c.id)) return;
      taken.add(c.id);
      out.push(c.id);
    };
    const followed = follow === null ? undefined : this.byId.get(follow);
    if (followed) take(followed);
    for (const c of this.hot) take(c);
    const rect = view ? cellsOf(view) : null;
    for (const tier of [2, 3, 4]) {
      for (const { c, cell } of this.rest) {
        if (out.length >= this.k) return out;
        if ((cell < 0 ? 4 : spatialTier(cell, rect)) === tier) take(c);
      }
    }
    return out;
  }
}
