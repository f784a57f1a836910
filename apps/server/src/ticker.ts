/**
 * The server's tick, on the wall clock: every `periodMs`, at the moments when Date.now() is a
 * multiple of it. So every node of a cluster ticks at the same moment (their clocks agree to a
 * millisecond or so: one machine, or NTP), and a node's batch of moves reaches the others while
 * their own tick's frames are waiting a moment for it (rooms/cursor-fanout.ts, PEER_WAIT_MS):
 * a user gets one frame a tick with everyone's moves, whichever node they came through, and a
 * move through another node is no later than one through this node. With setInterval, each
 * node's tick fell wherever its process happened to start.
 *
 * Each tick is scheduled against the next multiple, not a fixed delay after the last one, so a
 * late callback does not push every later tick back; a tick missed entirely (a stall) is skipped
 * rather than run twice.
 */
export function startTicker(periodMs: number, tick: () => void): { stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let next = alignedAfter(Date.now(), periodMs);
  const schedule = () => {
    const now = Date.now();
    // Missed (a stall), or the clock stepped back: realign on the next multiple from now.
    if (next <= now || next - now > 2 * periodMs) next = alignedAfter(now, periodMs);
    timer = setTimeout(fire, next - now);
  };
  const fire = () => {
    // A timer may fire a fraction of a millisecond early: the tick waits for its moment.
    if (Date.now() < next) {
      timer = setTimeout(fire, next - Date.now());
      return;
    }
    next += periodMs;
    schedule();
    tick();
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}

/** The first multiple of `periodMs` after `now`. */
export function alignedAfter(now: number, periodMs: number): number {
  return (Math.floor(now / periodMs) + 1) * periodMs;
}
