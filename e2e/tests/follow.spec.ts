import { expect, type Page, test } from '@playwright/test';
import { openUser, uniqueRoom, visibleBoard } from './users.ts';

// Short windows, so the board does not fit and following has something to do.
const viewport = { width: 1000, height: 420 };

const centerOf = async (page: Page) => {
  const { top, bottom } = await visibleBoard(page);
  return (top + bottom) / 2;
};
/** The window's scroll once it has stopped moving (a wheel scroll may be animated). */
const settledScroll = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let last = scrollY;
        let still = 0;
        const check = () => {
          still = scrollY === last ? still + 1 : 0;
          last = scrollY;
          if (still >= 10) resolve(last);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );

/** `page` shows the middle of what `other` sees. */
const shows = async (page: Page, y: number) => {
  const { top, bottom } = await visibleBoard(page);
  return top <= y && y <= bottom;
};

test('following someone keeps their view on my screen until I take over', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('follow');
  const lead = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Lead',
    query: 'transport=ws',
    viewport,
  });
  const fan = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Fan',
    query: 'sockjs=xhr-polling',
    viewport,
  });
  // A second follower who never lets go: when they have caught up, Fan would have too.
  const witness = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Witness',
    query: 'transport=sockjs',
    viewport,
  });
  await expect(fan.getByTestId('presence-item')).toHaveCount(3);

  await fan.locator('[data-testid="presence-item"][data-name="Lead"] button').click();
  await witness.locator('[data-testid="presence-item"][data-name="Lead"] button').click();
  await expect(fan.getByTestId('follow-banner')).toHaveText(/Following Lead/);

  // Lead scrolls to the bottom: the followers' windows go there too.
  const before = await visibleBoard(fan);
  await lead.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  const bottomCenter = await centerOf(lead);
  expect(bottomCenter).toBeGreaterThan(before.bottom); // Fan really has to move
  await expect.poll(() => shows(fan, bottomCenter)).toBe(true);

  // And back up.
  await lead.evaluate(() => scrollTo(0, 0));
  const topCenter = await centerOf(lead);
  await expect.poll(() => shows(fan, topCenter)).toBe(true);
  expect(await shows(fan, bottomCenter)).toBe(false);

  // Fan scrolls by themselves: following ends.
  await fan.mouse.move(500, 200);
  await fan.mouse.wheel(0, 40);
  await expect(fan.getByTestId('follow-banner')).toHaveCount(0);
  const fanScroll = await settledScroll(fan);

  await lead.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await expect.poll(() => shows(witness, bottomCenter)).toBe(true);
  expect(await fan.evaluate(() => scrollY)).toBe(fanScroll);
});

test('the stop button ends following, and following ends cleanly when they leave', async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom('follow-leave');
  const lead = await openUser(browser, baseURL ?? '', {
    room,
    name: 'Lead',
    query: 'transport=sockjs',
    viewport,
  });
  const fan = await openUser(browser, baseURL ?? '', { room, name: 'Fan', viewport });
  const leadItem = fan.locator('[data-testid="presence-item"][data-name="Lead"] button');

  await leadItem.click();
  await expect(leadItem).toHaveAttribute('aria-pressed', 'true');
  await fan.getByTestId('follow-stop').click();
  await expect(fan.getByTestId('follow-banner')).toHaveCount(0);
  await expect(leadItem).toHaveAttribute('aria-pressed', 'false');

  // Focus stays on the name after the click; a key other than Enter or Space still ends it.
  await leadItem.click();
  await expect(leadItem).toBeFocused();
  await fan.keyboard.press('PageDown');
  await expect(fan.getByTestId('follow-banner')).toHaveCount(0);

  await leadItem.click();
  await expect(fan.getByTestId('follow-banner')).toBeVisible();
  await lead.close({ runBeforeUnload: true });
  await expect(fan.getByTestId('follow-banner')).toHaveCount(0);
  await expect(fan.getByTestId('follow-notice')).toHaveText(/Lead left/);
  await expect(fan.getByTestId('follow-notice')).toHaveCount(0, { timeout: 8000 });
});
