import { BOARD_HEIGHT, BOARD_WIDTH, type Point } from '@cursorline/protocol';
import type { Random } from './rng.ts';

/**
 * Natural-looking cursor movement for the demo bots. A real hand does not jump: it drifts,
 * curves, speeds up and slows down, and now and then stops to read. So the velocity, not the
 * position, is what gets random nudges (and is damped so it stays smooth), walls push the cursor
 * back gently instead of bouncing it, and every few seconds it rests for a moment.
 */

/** Units per second²: how hard the random nudges push. */
const NUDGE = 2400;
/** Per second: how fast velocity decays (higher = calmer, straighter paths). */
const DAMPING = 2.2;
/** Units per second: the fastest a bot's cursor ever goes. */
export const MAX_SPEED = 900;
/** How close to an edge the cursor starts being pushed back, and how hard (units/s²). */
const EDGE_MARGIN = 120;
const EDGE_PUSH = 3000;
/** Chance per second of stopping for a while, and how long a stop lasts. */
const PAUSE_PER_SECOND = 0.15;
const PAUSE_MIN_MS = 400;
const PAUSE_MAX_MS = 2000;

export class Wanderer {
  private x: number;
  private y: number;
  private vx = 0;
  private vy = 0;
  private pauseLeftMs = 0;

  constructor(
    private readonly random: Random,
    start?: Point,
  ) {
    this.x = start?.x ?? EDGE_MARGIN + random() * (BOARD_WIDTH - 2 * EDGE_MARGIN);
    this.y = start?.y ?? EDGE_MARGIN + random() * (BOARD_HEIGHT - 2 * EDGE_MARGIN);
  }

  /** Where the cursor is now, in whole board units (what goes on the wire). */
  get position(): Point {
    return { x: Math.round(this.x), y: Math.round(this.y) };
  }

  /** Advances the cursor by dtMs and returns its new position. */
  step(dtMs: number): Point {
    const dt = Math.min(dtMs, 200) / 1000; // a long gap (a busy event loop) must not teleport
    if (this.pauseLeftMs > 0) {
      this.pauseLeftMs -= dtMs;
      return this.position;
    }
    if (this.random() < PAUSE_PER_SECOND * dt) {
      this.pauseLeftMs = PAUSE_MIN_MS + this.random() * (PAUSE_MAX_MS - PAUSE_MIN_MS);
      this.vx = 0;
      this.vy = 0;
      return this.position;
    }

    let ax = (this.random() * 2 - 1) * NUDGE - this.vx * DAMPING;
    let ay = (this.random() * 2 - 1) * NUDGE - this.vy * DAMPING;
    ax += edgePush(this.x, BOARD_WIDTH);
    ay += edgePush(this.y, BOARD_HEIGHT);
    this.vx += ax * dt;
    this.vy += ay * dt;

    const speed = Math.hypot(this.vx, this.vy);
    if (speed > MAX_SPEED) {
      this.vx *= MAX_SPEED / speed;
      this.vy *= MAX_SPEED / speed;
    }
    this.x = clamp(this.x + this.vx * dt, 0, BOARD_WIDTH);
    this.y = clamp(this.y + this.vy * dt, 0, BOARD_HEIGHT);
    return this.position;
  }
}

/** Acceleration away from the nearer edge, growing as the cursor gets closer to it. */
function edgePush(at: number, size: number): number {
  if (at < EDGE_MARGIN) return EDGE_PUSH * (1 - at / EDGE_MARGIN);
  if (at > size - EDGE_MARGIN) return -EDGE_PUSH * (1 - (size - at) / EDGE_MARGIN);
  return 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
