import { BOARD_HEIGHT, BOARD_WIDTH, type Point } from '@cursorline/protocol';

/**
 * A hand-like cursor path for the demo site's ambient users: random nudges to the velocity (not
 * the position), damped so it stays smooth, a soft push back from the edges, and now and then a
 * pause to "read". The same model as packages/loadtest/src/paths.ts, kept small and apart so
 * the server does not depend on the load-test tooling.
 */
const NUDGE = 2000;
const DAMPING = 2.2;
const MAX_SPEED = 700;
const MARGIN = 120;
const PAUSE_PER_SECOND = 0.2;

export class AmbientPath {
  private x: number;
  private y: number;
  private vx = 0;
  private vy = 0;
  private pauseMs = 0;

  constructor(private readonly random: () => number = Math.random) {
    this.x = MARGIN + random() * (BOARD_WIDTH - 2 * MARGIN);
    this.y = MARGIN + random() * (BOARD_HEIGHT - 2 * MARGIN);
  }

  step(dtMs: number): Point {
    const dt = Math.min(dtMs, 200) / 1000;
    if (this.pauseMs > 0) this.pauseMs -= dtMs;
    else if (this.random() < PAUSE_PER_SECOND * dt) {
      this.pauseMs = 500 + this.random() * 2000;
      this.vx = 0;
      this.vy = 0;
    } else {
      this.vx +=
        ((this.random() * 2 - 1) * NUDGE - this.vx * DAMPING + push(this.x, BOARD_WIDTH)) * dt;
      this.vy +=
        ((this.random() * 2 - 1) * NUDGE - this.vy * DAMPING + push(this.y, BOARD_HEIGHT)) * dt;
      const speed = Math.hypot(this.vx, this.vy);
      if (speed > MAX_SPEED) {
        this.vx *= MAX_SPEED / speed;
        this.vy *= MAX_SPEED / speed;
      }
      this.x = Math.min(BOARD_WIDTH, Math.max(0, this.x + this.vx * dt));
      this.y = Math.min(BOARD_HEIGHT, Math.max(0, this.y + this.vy * dt));
    }
    return { x: Math.round(this.x), y: Math.round(this.y) };
  }
}

function push(at: number, size: number): number {
  if (at < MARGIN) return 3000 * (1 - at / MARGIN);
  if (at > size - MARGIN) return -3000 * (1 - (size - at) / MARGIN);
  return 0;
}
