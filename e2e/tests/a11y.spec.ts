import { expect, type Page, test } from '@playwright/test';
import { moveOnBoard, openUser, uniqueRoom } from './users.ts';

test('joins and leaves are announced to screen readers', async ({ browser, baseURL }) => {
  const room = uniqueRoom('announce');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada' });
  const announcer = ada.getByTestId('announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  // Visually hidden, yet in the accessibility tree.
  const box = await announcer.boundingBox();
  expect((box?.width ?? 0) <= 1 && (box?.height ?? 0) <= 1).toBe(true);

  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'sockjs=xhr-polling',
  });
  await expect(announcer).toContainText('Bob joined');
  await bob.close({ runBeforeUnload: true });
  await expect(announcer).toContainText('Bob left');
});

/** The test id of the focused element (or of the item it belongs to). */
const focusedId = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.closest('[data-testid]')?.getAttribute('data-testid') ?? el?.tagName ?? '';
  });

test('every control is reachable with Tab, with a visible focus ring', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('keys');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada' });
  await openUser(browser, baseURL ?? '', { room, name: 'Bob', query: 'transport=sockjs' });
  await expect(ada.getByTestId('presence-item')).toHaveCount(2);

  const reached = new Set<string>();
  for (let i = 0; i < 20; i++) {
    await ada.keyboard.press('Tab');
    const id = await focusedId(ada);
    reached.add(id);
    if (id === 'hide-cursor-toggle') {
      const outline = await ada.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
      });
      expect(outline.style).not.toBe('none');
      expect(outline.width).toBeGreaterThanOrEqual(2);
    }
  }
  for (const id of [
    'share-button',
    'name-input',
    'follow-button',
    'reaction-button',
    'chat-button',
    'hide-cursor-toggle',
  ]) {
    expect(reached, id).toContain(id);
  }

  // Following works from the keyboard: focus Bob, press Enter.
  await ada.locator('[data-testid="presence-item"][data-name="Bob"] button').focus();
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('follow-banner')).toHaveText(/Following Bob/);
  // The banner's Stop button can be reached and used without ending it on the way.
  await ada.getByTestId('follow-stop').focus();
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('follow-banner')).toHaveCount(0);
});

/** WCAG contrast ratio of two computed CSS colors (rgb/rgba strings). */
function contrast(a: string, b: string): number {
  const lum = (color: string) => {
    const [r, g, bl] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

test('dark theme and reduced motion follow the system', async ({ browser, baseURL }) => {
  const room = uniqueRoom('comfort');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada' });
  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'transport=sockjs',
  });
  await bob.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });

  const colors = await bob.evaluate(() => {
    const pick = (selector: string) => {
      const el = document.querySelector(selector);
      if (!el) throw new Error(`no ${selector}`);
      return getComputedStyle(el);
    };
    return {
      pageBg: getComputedStyle(document.documentElement).backgroundColor,
      text: getComputedStyle(document.documentElement).color,
      panel: pick('.presence').backgroundColor,
      muted: pick('.presence h2').color,
      bodyText: pick('.hero p').color,
    };
  });
  // Dark: a dark page with light text, readable (WCAG AA 4.5:1) on the page and the panels.
  expect(contrast(colors.pageBg, 'rgb(0, 0, 0)')).toBeLessThan(1.5);
  expect(contrast(colors.text, colors.pageBg)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(colors.muted, colors.panel)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(colors.bodyText, colors.panel)).toBeGreaterThanOrEqual(4.5);

  // Reduced motion: a reaction shows still (no animation) and still goes away. Its style is read
  // the moment it appears, in the page: it is on screen for 1.5 s, and on a loaded machine a
  // check from the test could come after it is gone (and then wait for it to the timeout).
  type Watched = { reactionAnimation?: Promise<string> };
  await bob.evaluate(() => {
    (globalThis as Watched).reactionAnimation = new Promise<string>((resolve) => {
      const seen = new MutationObserver(() => {
        const el = document.querySelector('.reaction-emoji');
        if (!el) return;
        seen.disconnect();
        resolve(getComputedStyle(el).animationName);
      });
      seen.observe(document.body, { childList: true, subtree: true });
    });
  });
  await moveOnBoard(ada, 0.5, 0.5);
  await ada.keyboard.press('1');
  expect(await bob.evaluate(() => (globalThis as Watched).reactionAnimation)).toBe('none');
  await expect(bob.getByTestId('reaction')).toHaveCount(0, { timeout: 4000 });
  // …and cursors jump instead of gliding.
  expect(
    await bob.getByTestId('cursor').evaluate((el) => getComputedStyle(el).transitionDuration),
  ).toBe('0s');

  // The light theme is readable too.
  await bob.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
  const light = await bob.evaluate(() => ({
    pageBg: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.documentElement).color,
    muted: getComputedStyle(document.querySelector('.presence h2') as Element).color,
  }));
  expect(contrast(light.pageBg, 'rgb(255, 255, 255)')).toBeLessThan(1.2);
  expect(contrast(light.text, light.pageBg)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(light.muted, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(4.5);
});
