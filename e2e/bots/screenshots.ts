/**
 * `pnpm screenshots`: pictures of the production page for the README, made from the built app
 * with bots in the room: a desktop window, a phone, the dark theme and a crowded room. Bots
 * stand still at fixed points (and two of them chat), so a new run gives comparable pictures.
 * Written to docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { type BrowserContextOptions, chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium.ts';
import { type Bot, closeCrowd, moveBot, openCrowd, position } from './crowd.ts';
import { freePort, root, startServer } from './server.ts';

const NAMES = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Katherine Johnson',
  'Linus',
  'Margaret Hamilton',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Ken Thompson',
  'Radia Perlman',
  'Donald Knuth',
  'Frances Allen',
];
const nameOf = (i: number) => NAMES[i] ?? `Bot ${i + 1}`;

interface Shot {
  file: string;
  bots: number;
  context: BrowserContextOptions;
}

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};
const SHOTS: Shot[] = [
  { file: 'desktop.png', bots: 6, context: DESKTOP },
  { file: 'dark.png', bots: 6, context: { ...DESKTOP, colorScheme: 'dark' } },
  { file: 'phone.png', bots: 20, context: PHONE },
  { file: 'crowded.png', bots: 100, context: DESKTOP },
];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shoot(port: number, shot: Shot, out: string): Promise<void> {
  const room = `shots-${shot.file.replace('.png', '')}`;
  const bots: Bot[] = await openCrowd(`ws://127.0.0.1:${port}/ws`, room, shot.bots, nameOf);
  for (const [i, bot] of bots.entries()) moveBot(bot, position(i, 7));
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const context = await browser.newContext(shot.context);
    await context.addInitScript(() => localStorage.setItem('cursorline:name', 'You'));
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?room=${room}`);
    await page.getByTestId('status').and(page.locator('[data-state="open"]')).waitFor();
    await page
      .getByTestId('presence-item')
      .nth(shot.bots)
      .waitFor({ state: 'attached', timeout: 15_000 });
    bots[0]?.send({ t: 'chat', text: 'Look at the stat cards below 👇' });
    bots[3]?.send({ t: 'chat', text: 'Moves are latest-wins, nice' });
    await pause(600); // chat arrives, cursors settle, crowded labels sort themselves out
    await page.screenshot({ path: `${out}/${shot.file}` });
    console.log(`wrote docs/screenshots/${shot.file}`);
  } finally {
    await browser.close();
    closeCrowd(bots);
  }
}

const out = `${root}/docs/screenshots`;
mkdirSync(out, { recursive: true });
const port = await freePort();
const server = await startServer(port);
try {
  for (const shot of SHOTS) await shoot(port, shot, out);
} finally {
  server.kill('SIGTERM');
}
