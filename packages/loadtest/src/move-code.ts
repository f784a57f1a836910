import { BOARD_HEIGHT, BOARD_WIDTH, type Point } from '@cursorline/protocol';

/**
 * How the benchmark measures latency without changing the protocol: the server forwards
 * (id, x, y) and nothing else, so the position itself has to say which move it was.
 *
 * Each simulated user walks its own counter through every board point in turn
 * (x = n mod 1601, y = n div 1601): a slow sweep to the right, one row lower every 1601 moves.
 * A position therefore repeats only after 1601 × 1001 moves (15 hours at 30 Hz), and the
 * observer turns the (x, y) it received back into the counter n, with no search and no map.
 */
const COLUMNS = BOARD_WIDTH + 1;
export const MOVE_CYCLE = COLUMNS * (BOARD_HEIGHT + 1);

export function pointOfMove(n: number): Point {
  const k = n % MOVE_CYCLE;
  return { x: k % COLUMNS, y: Math.floor(k / COLUMNS) };
}

export function moveOfPoint({ x, y }: Point): number {
  return y * COLUMNS + x;
}

/**
 * When each of a sender's recent moves left the generator, indexed by move counter: a ring of
 * the last `size` moves (a power of two). Older moves are forgotten, so a position that arrives
 * later than size / rate seconds counts as unmatched rather than as a wrong latency.
 */
export class SentLog {
  private readonly moves: Int32Array;
  private readonly times: Float64Array;
  private readonly mask: number;

  constructor(size = 1024) {
    if (size <= 0 || (size & (size - 1)) !== 0)
      throw new Error('SentLog size must be a power of 2');
    this.moves = new Int32Array(size).fill(-1);
    this.times = new Float64Array(size);
    this.mask = size - 1;
  }

  record(move: number, at: number): void {
    const slot = move & this.mask;
    this.moves[slot] = move;
    this.times[slot] = at;
  }

  /** When `move` was sent, or undefined if it is not among the recent ones. */
  sentAt(move: number): number | undefined {
    const slot = move & this.mask;
    return this.moves[slot] === move ? this.times[slot] : undefined;
  }
}
