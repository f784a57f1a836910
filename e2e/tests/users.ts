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
