import { expect, type Page, test } from '@playwright/test';
import { cursorOf, openUser, uniqueRoom } from './users.ts';

/**
 * Chat at every edge and corner of the board: the input and the bubbles open inwards, nothing
 * scrolls the board's frame (or the window) to show them, and the other user gets the message
 * beside the cursor. On a desktop with the mouse, and on a phone with a finger.
 */

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The part of the board's frame the page shows: inside the window, above the dock. */
async function visibleFrame(page: Page): Promise<Box> {
  return page.evaluate(() => {
    const frame = document.querySelector('[data-testid="board-frame"]')?.getBoundingClientRect();
    const dock = document.querySelector('[data-overlay="bottom"]')?.getBoundingClientRect();
    if (!frame || !dock) throw new Error('no frame');
    return {
      left: Math.max(frame.left, 0),
      top: Math.max(frame.top, 0),
      right: Math.min(frame.right, innerWidth),
      bottom: Math.min(frame.bottom, dock.top),
    };
  });
}

/** Everything that must stay put while chatting: the frame's scroll and the window's. */
const scrolls = (page: Page) =>
  page.evaluate(() => {
    const frame = document.querySelector('[data-testid="board-frame"]') as HTMLElement;
    return [frame.scrollLeft, frame.scrollTop, scrollX, scrollY];
  });

const inside = (box: { x: number; y: number; width: number; height: number }, area: Box) =>
  box.x >= area.left - 1 &&
  box.y >= area.top - 1 &&
  box.x + box.width <= area.right + 1 &&
  box.y + box.height <= area.bottom + 1;

// Fractions of the visible frame: its four edges and four corners. The top row stays clear of
// the zoom buttons in the frame's top-right corner (they are not the board).
const SPOTS: [string, number, number][] = [
  ['right edge', 0.995, 0.5],
  ['bottom edge', 0.5, 0.995],
  ['left edge', 0.005, 0.5],
  ['top edge', 0.4, 0.005],
  ['bottom-right corner', 0.995, 0.995],
  ['bottom-left corner', 0.005, 0.995],
  ['top-left corner', 0.005, 0.005],
  ['top-right corner', 0.995, 0.12],
];

async function chatEverywhere(
  writer: Page,
  reader: Page,
  point: (x: number, y: number) => Promise<void>,
) {
  const bubble = cursorOf(reader, 'Writer').getByTestId('cursor-chat');
  for (const [where, fx, fy] of SPOTS) {
    const area = await visibleFrame(writer);
    const x = Math.round(area.left + 3 + fx * (area.right - area.left - 6));
    const y = Math.round(area.top + 3 + fy * (area.bottom - area.top - 6));
    await point(x, y);
    const before = await scrolls(writer);
    expect(before.slice(0, 2), where).toEqual([0, 0]);

    await writer.keyboard.press('/');
    const input = writer.getByTestId('chat-input');
    await expect(input).toBeFocused();
    const inputBox = await input.boundingBox();
    if (!inputBox) throw new Error('no input');
    expect(inside(inputBox, await visibleFrame(writer)), `input inside at ${where}`).toBe(true);
    const text = `at the ${where}`;
    await input.pressSequentially(text);
    expect(await scrolls(writer), `nothing scrolled at ${where}`).toEqual(before);
    await input.press('Enter');
    await expect(input).toHaveCount(0);
    expect(await scrolls(writer), `nothing scrolled after sending at ${where}`).toEqual(before);

    // Our own bubble stays on the board too.
    const own = await writer.getByTestId('own-chat').boundingBox();
    if (!own) throw new Error('no own bubble');
    expect(inside(own, await visibleFrame(writer)), `own bubble inside at ${where}`).toBe(true);

    // The other user sees it, beside the cursor, inside their board.
    await expect(bubble).toHaveText(text);
    const shown = await bubble.boundingBox();
    const cursor = await cursorOf(reader, 'Writer').boundingBox();
    const frame = await reader.getByTestId('board-frame').boundingBox();
    if (!shown || !cursor || !frame) throw new Error('no bubble');
    const readerFrame = {
      left: frame.x,
      top: frame.y,
      right: frame.x + frame.width,
      bottom: frame.y + frame.height,
    };
    expect(inside(shown, readerFrame), `bubble inside the reader's board at ${where}`).toBe(true);
    const gap = Math.hypot(
      shown.x + shown.width / 2 - cursor.x,
      shown.y + shown.height / 2 - cursor.y,
    );
    expect(gap, `bubble beside the cursor at ${where}`).toBeLessThan(250);
    // The page keeps the sender under its own chat limit; give it a moment between messages.
    await writer.waitForTimeout(700);
  }
}

test('chat at every edge and corner on a desktop stays on the board and reaches the others', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const room = uniqueRoom('edges');
  const writer = await openUser(browser, baseURL ?? '', { room, name: 'Writer' });
  const reader = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Reader',
    query: 'transport=sockjs',
  });
  await expect(reader.getByTestId('presence-item')).toHaveCount(2);
  await chatEverywhere(writer, reader, (x, y) => writer.mouse.move(x, y, { steps: 2 }));
});

test('chat at every edge and corner on a phone stays on the board and reaches the others', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const room = uniqueRoom('edges-phone');
  const writer = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Writer',
    viewport: { width: 390, height: 844 },
    context: { hasTouch: true, isMobile: true },
  });
  const reader = await openUser(browser, baseURL ?? '', { room, name: 'Reader' });
  await expect(reader.getByTestId('presence-item')).toHaveCount(2);
  // The board's bottom edge above the dock: scroll the window as far down as it goes.
  await writer.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await chatEverywhere(writer, reader, (x, y) => writer.touchscreen.tap(x, y));
});
