import { expect, test } from '@playwright/test';
import { BOARD, cursorOf, moveOnBoard, openUser, uniqueRoom, userIdOf } from './users.ts';

// The ping feature of docs/recipes/add-a-message.md, with real mouse input in real Chromium.
test('Alt+click shows a ring in the sender’s colour, where they clicked, for everyone', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('ping');
  const ada = await openUser(browser, baseURL ?? '', { room, name: 'Ada', query: 'transport=ws' });
  const bob = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Bob',
    query: 'transport=sockjs',
  });
  const adaId = await userIdOf(bob, 'Ada');
  const at = await moveOnBoard(ada, 0.3, 0.4);
  await expect(cursorOf(bob, 'Ada')).toBeVisible();
  // Ada's cursor colour on Bob's screen, as a computed colour to compare the ring's with.
  const adaColor = await cursorOf(bob, 'Ada').evaluate((el) => {
    const probe = document.createElement('div');
    probe.style.color = getComputedStyle(el).getPropertyValue('--cursor-color');
    document.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  });

  // Measured in Bob's page the moment it appears: a ring lives under a second.
  const appeared = bob.evaluate(
    (id) =>
      new Promise<{ x: number; y: number; color: string; board: DOMRect }>((resolve) => {
        const check = () => {
          const el = document.querySelector<HTMLElement>(
            `[data-testid="ping"][data-user-id="${id}"]`,
          );
          const board = document.querySelector('[data-testid="board"]')?.getBoundingClientRect();
          if (!el || !board) return;
          observer.disconnect();
          // The ring's centre: its box is centred on the point (it may already be scaling).
          const r = el.getBoundingClientRect();
          resolve({
            x: r.x + r.width / 2,
            y: r.y + r.height / 2,
            color: getComputedStyle(el).borderTopColor,
            board: board.toJSON(),
          });
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true });
        check();
      }),
    adaId,
  );
  await ada.keyboard.down('Alt');
  await ada.mouse.down();
  await ada.mouse.up();
  await ada.keyboard.up('Alt');

  const seen = await appeared;
  expect(seen.color).toBe(adaColor);
  const want = {
    x: seen.board.x + (at.x / BOARD.width) * seen.board.width,
    y: seen.board.y + (at.y / BOARD.height) * seen.board.height,
  };
  expect(Math.abs(seen.x - want.x)).toBeLessThan(4);
  expect(Math.abs(seen.y - want.y)).toBeLessThan(4);
  // Ada sees her own ring, and the Alt+click did not show her cursor as pressed to Bob.
  await expect(ada.locator('[data-testid="ping"]')).toHaveCount(1);
  await expect(cursorOf(bob, 'Ada')).not.toHaveAttribute('data-pressed', 'true');
  // Rings go by themselves.
  await expect(bob.locator('[data-testid="ping"]')).toHaveCount(0, { timeout: 3000 });
});
