import {
  type Browser,
  type BrowserContextOptions,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';

export const BOARD = { width: 1600, height: 1000 };

export interface UserOptions {
  room: string;
  name: string;
  /** Extra query, e.g. "transport=sockjs" or "sockjs=xhr-polling". */
  query?: string;
  viewport?: { width: number; height: number };
  /** More browser context options (touch, permissions, color scheme…). */
  context?: BrowserContextOptions;
  /** Runs on the new page before it loads the app, e.g. to install a fake clock. */
  beforeLoad?: (page: Page) => Promise<unknown>;
}

/** A user in their own browser context (own storage), on the page, connected. */
export async function openUser(
  browser: Browser,
  baseURL: string,
  opts: UserOptions,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    ...opts.context,
  });
  await context.addInitScript((name) => {
    if (!localStorage.getItem('cursorline:name')) localStorage.setItem('cursorline:name', name);
  }, opts.name);
  const page = await context.newPage();
  await opts.beforeLoad?.(page);
  await page.goto(`${baseURL}/?room=${opts.room}${opts.query ? `&${opts.query}` : ''}`);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'open');
  return page;
}

/**
 * Two users in a fresh room: Ada over raw WebSocket and Bob over `bobQuery` (SockJS unless told),
 * so whatever one does is shown to reach the other across both transports.
 */
export async function openAdaAndBob(
  browser: Browser,
  baseURL: string | undefined,
  label: string,
  bobQuery = 'transport=sockjs',
): Promise<{ room: string; ada: Page; bob: Page }> {
  const room = uniqueRoom(label);
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada', query: 'transport=ws' });
  const bob = await openUser(browser, baseURL ?? '', { room, name: 'Bob', query: bobQuery });
  return { room, ada, bob };
}

export interface Appearance {
  /** The element's box and the board's, in the page's CSS pixels, as it first appeared. */
  box: { x: number; y: number; width: number; height: number };
  board: { x: number; y: number; width: number; height: number };
  dataset: Record<string, string>;
  /** The computed styles asked for, of the element and of its `child`. */
  style: Record<string, string>;
  childStyle: Record<string, string>;
}

/**
 * Measures the first element matching `selector` the moment it appears in `page` (call it before
 * causing it): rings and bursts live about a second, and on a busy machine a round trip per
 * measurement could outlast them.
 */
export function whenAppears(
  page: Page,
  selector: string,
  ask: { style?: string[]; child?: string; childStyle?: string[] } = {},
): Promise<Appearance> {
  return page.evaluate(
    ({ selector, ask }) =>
      new Promise<Appearance>((resolve) => {
        const pick = (el: Element | null, names: string[] = []) => {
          const style = el ? getComputedStyle(el) : null;
          return Object.fromEntries(names.map((n) => [n, style?.getPropertyValue(n) ?? '']));
        };
        const check = () => {
          const el = document.querySelector<HTMLElement>(selector);
          const board = document.querySelector('[data-testid="board"]')?.getBoundingClientRect();
          if (!el || !board) return;
          observer.disconnect();
          const r = el.getBoundingClientRect();
          resolve({
            box: { x: r.x, y: r.y, width: r.width, height: r.height },
            board: { x: board.x, y: board.y, width: board.width, height: board.height },
            dataset: { ...el.dataset } as Record<string, string>,
            style: pick(el, ask.style),
            childStyle: pick(ask.child ? el.querySelector(ask.child) : null, ask.childStyle),
          });
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true });
        check(); // it may be there already
      }),
    { selector, ask },
  );
}

/** A room name no other test uses, so tests can run in parallel against one server. */
export function uniqueRoom(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`.replace(
    /[^A-Za-z0-9_-]/g,
    '-',
  );
}

/**
 * Moves the mouse to a spot given as a fraction of the board, scrolling it into view first.
 * Returns the board coordinates that spot has.
 */
export async function moveOnBoard(
  page: Page,
  fx: number,
  fy: number,
): Promise<{ x: number; y: number }> {
  const board = page.getByTestId('board');
  const box = await board.boundingBox();
  if (!box) throw new Error('board not visible');
  const viewport = page.viewportSize();
  const targetY = box.y + fy * box.height;
  if (viewport && (targetY < 0 || targetY > viewport.height - 5)) {
    await page.evaluate((dy) => window.scrollBy(0, dy), targetY - viewport.height / 2);
    return moveOnBoard(page, fx, fy);
  }
  await page.mouse.move(box.x + fx * box.width, targetY, { steps: 3 });
  return { x: Math.round(fx * BOARD.width), y: Math.round(fy * BOARD.height) };
}

export function cursorOf(page: Page, name: string): Locator {
  return page.locator(`[data-testid="cursor"][data-name="${name}"]`);
}

/** The remote cursor shows at the expected board point (within rounding). */
export async function expectCursorAt(page: Page, name: string, at: { x: number; y: number }) {
  const cursor = cursorOf(page, name);
  await expect(cursor).toBeVisible();
  await expect
    .poll(async () => {
      const x = Number(await cursor.getAttribute('data-x'));
      const y = Number(await cursor.getAttribute('data-y'));
      return Math.abs(x - at.x) <= 3 && Math.abs(y - at.y) <= 3;
    })
    .toBe(true);
}

export async function presenceNames(page: Page): Promise<string[]> {
  return page
    .getByTestId('presence-item')
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.name ?? ''));
}

/** The id the server gave a user, as `page` lists them. */
export async function userIdOf(page: Page, name: string): Promise<string> {
  const item = page.locator(`[data-testid="presence-item"][data-name="${name}"]`);
  await expect(item).toHaveCount(1);
  const id = await item.getAttribute('data-user-id');
  if (!id) throw new Error(`no id for ${name}`);
  return id;
}

/** The part of the board `page` shows, in board units (as the page itself reports it). */
export async function visibleBoard(page: Page): Promise<{ top: number; bottom: number }> {
  return page.evaluate((boardHeight) => {
    const board = document.querySelector('[data-testid="board"]')?.getBoundingClientRect();
    if (!board) throw new Error('no board');
    let top = 0;
    let bottom = innerHeight;
    for (const el of document.querySelectorAll<HTMLElement>('[data-overlay]')) {
      const r = el.getBoundingClientRect();
      if (el.dataset.overlay === 'top') top = Math.max(top, r.bottom);
      if (el.dataset.overlay === 'bottom') bottom = Math.min(bottom, r.top);
    }
    const scale = board.height / boardHeight;
    return {
      top: Math.max(0, (top - board.top) / scale),
      bottom: Math.min(boardHeight, (bottom - board.top) / scale),
    };
  }, BOARD.height);
}

/** Counts elements with a test id as they are added (they may be gone before anyone looks). */
export async function countAdded(page: Page, testid: string): Promise<() => Promise<string[]>> {
  const key = `__added_${testid.replace(/\W/g, '_')}`;
  await page.evaluate(
    ([k, id]) => {
      const seen: string[] = [];
      (window as unknown as Record<string, string[]>)[k ?? ''] = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          for (const node of r.addedNodes) {
            if (node instanceof HTMLElement && node.dataset.testid === id) {
              seen.push(node.dataset.emoji ?? node.textContent ?? '');
            }
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    },
    [key, testid],
  );
  return () =>
    page.evaluate((k) => [...((window as unknown as Record<string, string[]>)[k] ?? [])], key);
}
