import type { Random } from './rng.ts';
import type { SimUser } from './sim-user.ts';

/** How often the driver wakes up. Short enough that 30 Hz sends stay evenly spaced. */
const WAKE_MS = 2;
/** Each gap between two moves of a user is the period ± this fraction, so users do not march in step. */
const JITTER = 0.2;

/**
 * Sends every moving user's cursor moves at `rate` per second from a single timer. One timer
 * scanning 1,000 users every 2 ms costs far less than 1,000 timers, and the send times are
 * spread out (random phase, jittered gaps) like real users rather than in lockstep bursts.
 */
export class MoveDriver {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly periodMs: number;
  /**
   * Only the users that move: in an audience of 10,000 with 1,000 moving, scanning everyone
   * 500 times a second was 5 million loop turns a second for nothing, on the same core that has
   * to send the moves and read the frames.
   */
  private readonly users: readonly SimUser[];

  constructor(
    users: readonly SimUser[],
    rate: number,
    private readonly random: Random,
    private readonly onSent: () => void,
    /** The time base send times are recorded in (the main thread's; see World.now). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.periodMs = 1000 / rate;
    this.users = users.filter((user) => user.moving);
  }

  start(): void {
    const now = this.clock();
    for (const user of this.users) user.nextSendAt = now + this.random() * this.periodMs;
    this.timer = setInterval(() => this.wake(), WAKE_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private wake(): void {
    const now = this.clock();
    const period = this.periodMs;
    for (const user of this.users) {
      if (user.gone || now < user.nextSendAt) continue;
      if (user.sendMove(now)) this.onSent();
      user.nextSendAt += period * (1 - JITTER + 2 * JITTER * this.random());
      // If we fell far behind (a busy moment), do not make up for it with a burst.
      if (user.nextSendAt < now) user.nextSendAt = now + period * this.random();
    }
  }
}
