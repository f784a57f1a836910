import { machineBusySeconds } from './proc.ts';

/** Other processes may use this much of one core and the machine still counts as quiet. */
export const QUIET_PCT = 25;
/** Seconds in a row the machine must be quiet before a scenario starts. */
const QUIET_SECONDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU the whole machine used over the next `ms`, in % of one core. */
async function busyPct(ms: number): Promise<number> {
  const start = machineBusySeconds();
  const t0 = performance.now();
  await sleep(ms);
  return (100 * (machineBusySeconds() - start)) / ((performance.now() - t0) / 1000);
}

/**
 * A benchmark on a shared 2-core machine measures whatever else runs too. Before each scenario
 * (when nothing of ours is running) wait, at most `maxWaitS`, for other processes to go quiet.
 * Returns what they were using when we started, so the report can show it.
 */
export async function waitForQuiet(maxWaitS: number, say: (line: string) => void): Promise<number> {
  const deadline = performance.now() + maxWaitS * 1000;
  let quietSeconds = 0;
  let pct = 0;
  let told = false;
  // Test suites and builds come in bursts: one quiet second may only be a gap between two.
  while (quietSeconds < QUIET_SECONDS) {
    pct = await busyPct(1000);
    quietSeconds = pct <= QUIET_PCT ? quietSeconds + 1 : 0;
    if (quietSeconds > 0) continue;
    if (performance.now() >= deadline) {
      say(`⚠ still ${Math.round(pct)}% CPU in use by other processes; measuring anyway`);
      return pct;
    }
    if (!told) {
      say(
        `other processes are using ${Math.round(pct)}% CPU; waiting up to ${maxWaitS} s for them to calm down`,
      );
    }
    told = true;
  }
  return pct;
}
