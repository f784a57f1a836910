import { expect, test } from '@playwright/test';
import { closeCrowd, keepMoving, openCrowd } from '../bots/crowd.ts';
import { openUser, uniqueRoom } from './users.ts';

const PHONE = { width: 390, height: 844 };

test('60 people on a 390 px phone: the list folds away, markers stay apart, text is readable', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const room = uniqueRoom('crowd');
  const wsUrl = `${(baseURL ?? '').replace(/^http/, 'ws')}/ws`;
  const bots = await openCrowd(wsUrl, room, 60);
  const stop = keepMoving(bots, 10);
  try {
    const page = await openUser(browser, baseURL ?? '', {
      room,
      name: 'Phone',
      viewport: PHONE,
      context: { hasTouch: true, isMobile: true },
    });
    await expect(page.getByTestId('presence-item')).toHaveCount(61);

    // The presence area: at most a quarter of the screen, an avatar stack with "+N".
    const presence = await page.getByTestId('presence').boundingBox();
    if (!presence) throw new Error('no presence area');
    expect(presence.height).toBeLessThanOrEqual(PHONE.height / 4);
    await expect(page.getByTestId('stack-avatar')).toHaveCount(5);
    await expect(page.getByTestId('presence-more')).toHaveText('+56');
    // Distinct colors from the larger palette, and initials that tell bots apart.
    const colors = await page
      .locator('[data-testid="cursor"]')
      .evaluateAll((els) =>
        els.map((el) => (el as HTMLElement).style.getPropertyValue('--user-light')),
      );
    // 61 people over 32 colors, least used first: every color is in use (the unit test checks
    // that 30 people get at least 24).
    expect(colors).toHaveLength(60);
    expect(new Set(colors).size).toBeGreaterThanOrEqual(30);
    const initials = await page.getByTestId('avatar').allTextContents();
    expect(initials).toHaveLength(61);
    expect(new Set(initials).size).toBe(61);

    // Off-screen markers (single or clustered) never overlap, as the crowd keeps moving.
    for (let round = 0; round < 5; round++) {
      const boxes = await page
        .locator('[data-testid="offscreen-marker"], [data-testid="offscreen-cluster"]')
        .evaluateAll((els) =>
          els.map((el) => {
            const r = el.getBoundingClientRect();
            return { x: r.x, y: r.y, w: r.width, h: r.height };
          }),
        );
      expect(boxes.length).toBeGreaterThan(0);
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const apart =
            a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
          expect(apart, `markers ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`).toBe(true);
        }
      }
      await page.waitForTimeout(300);
    }
    // A cluster says how many people it holds.
    const clusters = page.getByTestId('offscreen-cluster');
    if ((await clusters.count()) > 0) {
      await expect(clusters.first()).toHaveText(/^\d+$/);
    }

    // The board opens at a readable zoom: every piece of its text is at least 12 px on screen.
    const smallest = await page.evaluate(() => {
      const board = document.querySelector('[data-testid="board"]') as HTMLElement;
      const scale = board.getBoundingClientRect().width / 1600;
      let min = Number.POSITIVE_INFINITY;
      for (const el of board.querySelectorAll<HTMLElement>('.board-content *')) {
        const hasText = [...el.childNodes].some(
          (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
        );
        if (hasText) min = Math.min(min, Number.parseFloat(getComputedStyle(el).fontSize) * scale);
      }
      return min;
    });
    expect(smallest).toBeGreaterThanOrEqual(12);
    // Cursor labels keep their size whatever the zoom.
    const label = await page
      .locator('[data-testid="cursor-label"]')
      .first()
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(label).toBeGreaterThanOrEqual(18);

    // The stack opens into a searchable list that scrolls instead of growing.
    await page.getByTestId('presence-toggle').tap();
    const list = page.getByTestId('presence-list');
    await expect(list).toBeVisible();
    expect(await list.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    const listBox = await list.boundingBox();
    expect(listBox?.height ?? 0).toBeLessThanOrEqual(PHONE.height * 0.6);
    await page.getByTestId('presence-search').fill('Bot 42');
    await expect(page.locator('[data-testid="presence-item"]:not([data-self])')).toHaveCount(1);
    await expect(page.locator('[data-testid="presence-item"][data-name="Bot 42"]')).toBeVisible();
    await page.getByTestId('presence-toggle').tap();
    await expect(list).toBeHidden();
  } finally {
    stop();
    closeCrowd(bots);
  }
});
