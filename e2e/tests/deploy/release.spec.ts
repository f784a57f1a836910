import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { repoRoot } from '../../stack/nodes.ts';
import { freePort, start, waitForHttp } from '../../stack/processes.ts';
import { openUser, presenceNames, uniqueRoom } from '../users.ts';
import { expect, test } from './stack.ts';

/**
 * The release directory (`pnpm release`, what the Dockerfile copies) on its own: assembled into
 * a temporary directory, started with plain `node` as an unprivileged user (nobody, when these
 * tests run as root), from its own directory, with no workspace around it.
 */
test('the release directory starts as non-root and serves the page, /healthz, /ws and /sockjs', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'cursorline-release-test-'));
  chmodSync(dir, 0o755);
  const out = join(dir, 'release');
  execFileSync(process.execPath, ['scripts/release.mjs', '--out', out], { cwd: repoRoot });
  const port = await freePort();
  const room = uniqueRoom('release');
  const asRoot = process.getuid?.() === 0;
  const proc = start('release', process.execPath, ['server/dist/main.js'], {
    cwd: out,
    // Nothing from the workspace: no NODE_ENV, no STATIC_DIR; the bundle knows it is production.
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_PATH: '',
      // Demo-site mode, to see its ambient users in a real page.
      DEMO_BOTS: '2',
      DEMO_ROOMS: room,
    },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, proc, 200);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const info = await fetch(`${url}/sockjs/info`);
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ websocket: true });

    // A raw WebSocket upgrade is answered with 101.
    const opened = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      ws.once('open', () => {
        ws.close();
        resolve(true);
      });
      ws.once('error', () => resolve(false));
    });
    expect(opened).toBe(true);

    // And real users on both transports share a room with the two ambient bots, tagged as such.
    const tess = await openUser(browser, url, { room, name: 'Tess', query: 'transport=ws' });
    await openUser(browser, url, { room, name: 'Vic', query: 'sockjs=xhr-streaming' });
    await expect.poll(async () => (await presenceNames(tess)).length).toBe(4);
    const bots = tess.locator('[data-testid="presence-item"][data-bot="true"]');
    await expect(bots).toHaveCount(2);
    await expect(bots.getByTestId('bot-tag')).toHaveText(['bot', 'bot']);
    await expect(
      tess.locator('[data-testid="presence-item"]:not([data-bot])').getByTestId('bot-tag'),
    ).toHaveCount(0);
    // They move: their cursors have positions.
    await expect(tess.locator('[data-testid="cursor"][data-x]')).toHaveCount(2);
    if (asRoot) {
      const owner = execFileSync('ps', ['-o', 'user=', '-p', String(proc.pid)])
        .toString()
        .trim();
      expect(owner).toBe('nobody');
    }
  } finally {
    await proc.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  }
});
