import type { Page } from '@playwright/test';

/**
 * Records, inside the page, when things happen (performance.now(): ms since navigation start):
 * every change of the status badge, and the first time each remote cursor has a position.
 * In the page, so the figures do not include Playwright's polling.
 */
export async function recordTimings(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as {
      __status: { state: string; transport: string; at: number; wall: number }[];
      __cursorSeen: Record<string, number>;
    };
    w.__status = [];
    w.__cursorSeen = {};
    const look = () => {
      const badge = document.querySelector<HTMLElement>('[data-testid="status"]');
      if (badge) {
        const state = badge.dataset.state ?? '';
        const transport = badge.dataset.transport ?? '';
        const last = w.__status.at(-1);
        if (!last || last.state !== state || last.transport !== transport) {
          w.__status.push({ state, transport, at: performance.now(), wall: Date.now() });
        }
      }
      for (const c of document.querySelectorAll<HTMLElement>('[data-testid="cursor"][data-x]')) {
        const name = c.dataset.name ?? '';
        w.__cursorSeen[name] ??= performance.now();
      }
    };
    new MutationObserver(look).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state', 'data-transport', 'data-x'],
    });
  });
}

export function statusLog(page: Page) {
  return page.evaluate(
    () =>
      (
        window as unknown as {
          __status: { state: string; transport: string; at: number; wall: number }[];
        }
      ).__status,
  );
}

/** ms from navigation start until `name`'s cursor first had a position, or undefined. */
export function cursorSeenAt(page: Page, name: string): Promise<number | undefined> {
  return page.evaluate(
    (n) => (window as unknown as { __cursorSeen: Record<string, number> }).__cursorSeen[n],
    name,
  );
}
