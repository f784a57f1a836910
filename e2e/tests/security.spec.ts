import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { cursorOf, moveOnBoard, openUser, presenceNames, uniqueRoom } from './users.ts';

/**
 * The page under its real security headers (production build only: in development Vite serves
 * the page), and a page of another site that tries the SockJS side door.
 */
test.beforeEach(() => {
  test.skip(test.info().project.name !== 'prod', 'the production server sends these headers');
});

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

for (const query of ['', 'sockjs=xhr-streaming', 'sockjs=xhr-polling', 'transport=sockjs']) {
  test(`the page works under its CSP (${query || 'default link'})`, async ({
    browser,
    baseURL,
  }) => {
    const room = uniqueRoom('csp');
    const violations: (() => Promise<string[]>)[] = [];
    const base = baseURL ?? '';
    const open = (name: string, q: string) =>
      openUser(browser, base, {
        room,
        name,
        query: q,
        beforeLoad: async (page) => {
          violations.push(await watchViolations(page));
        },
      });
    const ada = await open('Ada', query);
    const bob = await open('Bob', '');

    const response = await ada.request.get(`${base}/?room=${room}`);
    const csp = response.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect(response.headers()['referrer-policy']).toBe('same-origin');

    await expect.poll(() => presenceNames(bob)).toContain('Ada');
    await moveOnBoard(ada, 0.5, 0.3);
    await expect(cursorOf(bob, 'Ada')).toBeVisible();
    await moveOnBoard(bob, 0.2, 0.6);
    await expect(cursorOf(ada, 'Bob')).toBeVisible();
    for (const read of violations) expect(await read()).toEqual([]);
    await ada.context().close();
    await bob.context().close();
  });
}

const sockjsClient = readFileSync(
  fileURLToPath(
    new URL('../../packages/client/node_modules/sockjs-client/dist/sockjs.min.js', import.meta.url),
  ),
  'utf8',
);

test('a page of another site cannot join through the SockJS iframe', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('sidedoor');
  const base = baseURL ?? '';
  const victim = await openUser(browser, base, { room, name: 'Victim' });

  // Another site: a real server of its own on loopback (so Chromium's local-network checks let
  // it reach us), addressed as `localhost`, which is another origin and another site than
  // `127.0.0.1`.
  const evilServer = createServer((req, res) => {
    if (req.url === '/sockjs.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(sockjsClient);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><iframe id="f" src="${base}/sockjs/iframe.html"></iframe>
        <script src="/sockjs.js"></script>`,
    );
  });
  await new Promise<void>((resolve) => evilServer.listen(0, '127.0.0.1', resolve));
  const evilPort = (evilServer.address() as AddressInfo).port;
  const context = await browser.newContext();
  const evil = await context.newPage();
  const framed = evil.waitForResponse((r) => r.url().includes('/sockjs/iframe'));
  await evil.goto(`http://localhost:${evilPort}/`);
  // Refused: a cross-site frame without Origin is turned away (403) before the server would
  // say the page does not exist anyway (404, checked by the server's own tests).
  expect([403, 404]).toContain((await framed).status());

  // sockjs-client in the evil page, through the iframe transports and then every transport.
  const outcomes = await evil.evaluate(
    async ({ url, room }) => {
      type Sock = {
        onopen: () => void;
        onclose: (e: { code: number }) => void;
        send(s: string): void;
      };
      const SockJS = (window as unknown as { SockJS: new (u: string, r: null, o: object) => Sock })
        .SockJS;
      const attempt = (transports?: string[]) =>
        new Promise<string>((resolve) => {
          const sock = new SockJS(`${url}/sockjs`, null, transports ? { transports } : {});
          const timer = setTimeout(() => resolve('no answer'), 8000);
          sock.onopen = () => {
            sock.send(JSON.stringify({ t: 'hello', v: 3, room, name: 'Intruder' }));
            setTimeout(() => resolve('open'), 1500);
          };
          sock.onclose = (e) => {
            clearTimeout(timer);
            resolve(`closed ${e.code}`);
          };
        });
      return [
        await attempt(['iframe-eventsource', 'iframe-htmlfile', 'iframe-xhr-polling']),
        await attempt(),
      ];
    },
    { url: base, room },
  );
  expect(outcomes).not.toContain('open');
  // Nobody joined the victim's room.
  await victim.waitForTimeout(500);
  expect(await presenceNames(victim)).not.toContain('Intruder');
  const health = (await (await victim.request.get(`${base}/healthz`)).json()) as { users: number };
  expect(health.users).toBeGreaterThan(0);
  await context.close();
  await victim.context().close();
  evilServer.close();
});
