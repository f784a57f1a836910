/**
 * "Full jitter" backoff: wait a random time between 0 and an exponentially growing cap.
 * When a server restarts, its thousands of clients then come back spread out over time
 * instead of all in the same instant.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 1000, capMs: 30_000 };

export function backoffDelay(
  attempt: number,
  { baseMs, capMs }: BackoffOptions = defaultBackoff,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
