import { type Browser, expect, type Locator, type Page } from '@playwright/test';

export const BOARD = { width: 1600, height: 1000 };

export interface UserOptions {
  room: string;
  name: string;
  /** Extra query, e.g. "transport=sockjs" or "sockjs=xhr-polling". */
  query?: string;
  viewport?: { width: number; height: number };
}

/** A user in their own browser context (own storage), on the page, connected. */
export async function openUser(
  browser: Browser,
  baseURL: string,
  opts: UserOptions,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
  });
  await context.addInitScript((name) => {
    if (!localStorage.getItem('cursorline:name')) localStorage.setItem('cursorline:name', name);
  }, opts.name);
  const page = await context.newPage();
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
