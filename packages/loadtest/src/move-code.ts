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
 * When each user's recent moves left the generator, indexed by move counter: per user a ring of
 * the last `size` moves (a power of two). Older moves are forgotten, so a position that arrives
 * later than size / rate seconds counts as unmatched rather than as a wrong latency. Also each
 * user's first send time (NaN until it has sent one), which freshness counts from.
 *
 * Everything lives in one SharedArrayBuffer, so the crowd's worker thread (crowd-worker.ts) can
 * write its users' send times and an observer on the main thread can read them the moment a
 * frame arrives, with no message in between. Each user's row has one writer: the thread that
 * owns that user's socket. Times must be in the main thread's performance.now() time base (see
 * mainClock in crowd-worker.ts).
 */
export class SentLogs {
  readonly buffer: SharedArrayBuffer;
  /** Per slot: the move counter + 1 (0 = empty, so a fresh, zero-filled buffer needs no filling). */
  private readonly tags: Int32Array;
  private readonly times: Float64Array;
  private readonly firstSent: Float64Array;
  private readonly mask: number;

  /** A new buffer for `users` users, or (with `buffer`) a view of one another thread made. */
  constructor(
    readonly users: number,
    readonly size = 1024,
    buffer?: SharedArrayBuffer,
  ) {
    if (size <= 0 || (size & (size - 1)) !== 0)
      throw new Error('SentLogs size must be a power of 2');
    const slots = users * size;
    // Float64s first: they need 8-byte alignment, the Int32 tags after them only 4.
    const bytes = slots * 8 + users * 8 + slots * 4;
    if (buffer && buffer.byteLength !== bytes)
      throw new Error(`SentLogs buffer is ${buffer.byteLength} bytes, expected ${bytes}`);
    this.buffer = buffer ?? new SharedArrayBuffer(bytes);
    this.times = new Float64Array(this.buffer, 0, slots);
    this.firstSent = new Float64Array(this.buffer, slots * 8, users);
    this.tags = new Int32Array(this.buffer, slots * 8 + users * 8, slots);
    this.mask = size - 1;
    if (!buffer) this.firstSent.fill(Number.NaN);
  }

  record(user: number, move: number, at: number): void {
    const slot = user * this.size + (move & this.mask);
    this.times[slot] = at;
    // The tag is stored atomically after the time: a reader that sees the new tag (Atomics.load)
    // is guaranteed to see this time too, not the one 1024 moves older.
    Atomics.store(this.tags, slot, move + 1);
    if (Number.isNaN(this.firstSent[user])) this.firstSent[user] = at;
  }

  /** When `user` sent `move`, or undefined if it is not among its recent ones. */
  sentAt(user: number, move: number): number | undefined {
    const slot = user * this.size + (move & this.mask);
    if (Atomics.load(this.tags, slot) !== move + 1) return undefined;
    const at = this.times[slot];
    // Overwritten while we read (the sender lapped its ring)? Then the time may be the newer one.
    return Atomics.load(this.tags, slot) === move + 1 ? at : undefined;
  }

  /** When `user` sent its first move (NaN until then). */
  firstSentAt(user: number): number {
    return this.firstSent[user] ?? Number.NaN;
  }
}
