import { expect, test } from '@playwright/test';
import { BOARD, cursorOf, moveOnBoard, openAdaAndBob, userIdOf, whenAppears } from './users.ts';

// The ping feature of docs/recipes/add-a-message.md, with real mouse input in real Chromium.
test('Alt+click shows a ring in the sender’s colour, where they clicked, for everyone', async ({
  browser,
  baseURL,
}) => {
  const { ada, bob } = await openAdaAndBob(browser, baseURL, 'ping');
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

  const appeared = whenAppears(bob, `[data-testid="ping"][data-user-id="${adaId}"]`, {
    style: ['border-top-color'],
  });
  // Ada's own ring, shown at once on her screen (it too lives under a second).
  const own = whenAppears(ada, '[data-testid="ping"]');
  await ada.keyboard.down('Alt');
  await ada.mouse.down();
  await ada.mouse.up();
  await ada.keyboard.up('Alt');

  const seen = await appeared;
  expect(seen.style['border-top-color']).toBe(adaColor);
  // The ring's centre (its box is centred on the point, and it may already be scaling).
  const want = {
    x: seen.board.x + (at.x / BOARD.width) * seen.board.width,
    y: seen.board.y + (at.y / BOARD.height) * seen.board.height,
  };
  expect(Math.abs(seen.box.x + seen.box.width / 2 - want.x)).toBeLessThan(4);
  expect(Math.abs(seen.box.y + seen.box.height / 2 - want.y)).toBeLessThan(4);
  // Ada sees her own ring, and the Alt+click did not show her cursor as pressed to Bob.
  expect((await own).dataset.userId).toBe(
    await ada.evaluate(
      () =>
        document.querySelector<HTMLElement>('[data-testid="presence-item"][data-self="true"]')
          ?.dataset.userId,
    ),
  );
  await expect(cursorOf(bob, 'Ada')).not.toHaveAttribute('data-pressed', 'true');
  // Rings go by themselves.
  await expect(bob.locator('[data-testid="ping"]')).toHaveCount(0, { timeout: 3000 });
});
