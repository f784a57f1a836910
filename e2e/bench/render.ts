/**
 * Browser rendering benchmark (`pnpm bench:render`): the production page in headless Chromium
 * with remote users moving at 30 Hz, in three runs: 200 users on a desktop window, 100 users on
 * a desktop window, and 100 users on a 390 × 844 phone (touch, mobile viewport, the board at its
 * readable opening zoom). Prints the frame rate the page keeps and the long tasks it suffers,
 * and writes them to bench-results/. A measurement script, not a test: it passes or fails
 * nothing, it reports against the targets.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BrowserContextOptions, chromium } from '@playwright/test';
import { closeCrowd, keepMoving, openCrowd } from '../bots/crowd.ts';
import { freePort, root, startServer } from '../bots/server.ts';
import { chromiumLaunchOptions } from '../chromium.ts';

interface Run {
  name: string;
  users: number;
  context: BrowserContextOptions;
}

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const RUNS: Run[] = [
  { name: 'desktop', users: 200, context: DESKTOP },
  { name: 'crowd-100', users: 100, context: DESKTOP },
  { name: 'phone', users: 100, context: PHONE },
];

const { values: args } = parseArgs({
  options: {
    /** Only these runs, e.g. --runs phone,crowd-100. */
    runs: { type: 'string', default: RUNS.map((r) => r.name).join(',') },
    /** Overrides the number of users of every run. */
    users: { type: 'string' },
    rate: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '10' },
  },
});
const RATE = Number(args.rate);
const MEASURE_MS = Number(args.seconds) * 1000;
const WARMUP_MS = 3000;

// Runs in the page. Kept as source text: tsx would otherwise wrap its functions in a helper the
// page does not have.
const IN_PAGE_MEASURE = `new Promise((done) => {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  const frames = [];
  let last = performance.now();
  const end = last + MS;
  const frame = (now) => {
    frames.push(now - last);
    last = now;
    if (now < end) requestAnimationFrame(frame);
    else {
      observer.disconnect();
      done({ frames, longTasks });
    }
  };
  requestAnimationFrame(frame);
})`;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function measure(port: number, run: Run) {
  const browser = await chromium.launch(chromiumLaunchOptions);
  const room = `render-${run.name}`;
  const users = args.users ? Number(args.users) : run.users;
  try {
    const page = await browser.newPage(run.context);
    await page.goto(`http://127.0.0.1:${port}/?room=${room}&transport=ws`);
    await page.getByTestId('status').and(page.locator('[data-state="open"]')).waitFor();
    const bots = await openCrowd(`ws://127.0.0.1:${port}/ws`, room, users, (i) => `bot ${i}`);
    const stop = keepMoving(bots, RATE);
    await page.waitForTimeout(WARMUP_MS);
    const visible = await page.locator('[data-testid="cursor"]:not([hidden])').count();
    // In the page: every animation frame's duration, and every long task, for MEASURE_MS.
    const measured = (await page.evaluate(IN_PAGE_MEASURE.replace('MS', String(MEASURE_MS)))) as {
      frames: number[];
      longTasks: number[];
    };
    stop();
    closeCrowd(bots);

    const frames = measured.frames.slice(1).sort((a, b) => a - b);
    const fps = (frames.length * 1000) / frames.reduce((s, f) => s + f, 0);
    const longTasks = measured.longTasks;
    const viewport = run.context.viewport;
    return {
      run: run.name,
      window: viewport ? `${viewport.width}x${viewport.height}` : '',
      users,
      rateHz: RATE,
      visibleCursors: visible,
      seconds: MEASURE_MS / 1000,
      fps: Number(fps.toFixed(1)),
      frameMsP50: Number(quantile(frames, 0.5).toFixed(1)),
      frameMsP95: Number(quantile(frames, 0.95).toFixed(1)),
      frameMsP99: Number(quantile(frames, 0.99).toFixed(1)),
      framesOver20ms: frames.filter((f) => f > 20).length,
      longTasks: longTasks.length,
      longestTaskMs: Number(Math.max(0, ...longTasks).toFixed(1)),
    };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const wanted = new Set(args.runs.split(','));
  const port = await freePort();
  const server = await startServer(port);
  try {
    const results = [];
    for (const run of RUNS.filter((r) => wanted.has(r.name))) {
      results.push(await measure(port, run));
    }
    const pass = results.every((r) => r.fps >= 55 && r.longTasks === 0);
    console.log(
      `\nRendering remote cursors moving at ${RATE} Hz in headless Chromium (${MEASURE_MS / 1000} s per run)`,
    );
    console.table(results);
    console.log(
      `target: >= 55 fps and no long task over 50 ms in every run: ${pass ? 'PASS' : 'FAIL'}`,
    );
    const date = new Date().toISOString();
    mkdirSync(`${root}/bench-results`, { recursive: true });
    const file = `${root}/bench-results/render-${date.replace(/[:.]/g, '-')}.json`;
    writeFileSync(
      file,
      `${JSON.stringify({ date, results, target: { fps: 55, longTasks: 0 }, pass }, null, 2)}\n`,
    );
    console.log(`written to ${file}`);
  } finally {
    server.kill('SIGTERM');
  }
}

await main();
