// @vitest-environment happy-dom
import { BOARD_HEIGHT, BOARD_WIDTH } from '@cursorline/protocol';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FeatureSlot } from '../../core/page-context.tsx';
import { renderInPage, someone, testPage, welcome } from '../../test/test-page.tsx';
import { chatFeature } from './index.tsx';

/** The chat input is the chat feature's UI in the board slot, rendered alone. */
function openChat() {
  const { page, client } = testPage([chatFeature]);
  renderInPage(page, <FeatureSlot name="board" />);
  act(() => welcome(client, []));
  act(() => page.api(chatFeature).open());
  return { page, client };
}
const field = () => screen.queryByTestId('chat-input') as HTMLInputElement | null;

describe('ChatInput', () => {
  it('opens in the middle of the board without a pointer, and shows our cursor there', () => {
    const { page, client } = openChat();
    const middle = { x: BOARD_WIDTH / 2, y: BOARD_HEIGHT / 2 };
    expect(page.store.getState().chatAt).toEqual(middle);
    expect(client.sent('move')).toEqual([[middle]]);
    expect(field()).not.toBeNull();
    expect(document.activeElement).toBe(field());
  });

  it('sends on Enter (cleaned), shows it in our own bubble and closes', async () => {
    const { page, client } = openChat();
    await userEvent.setup().type(field() as HTMLInputElement, 'hello\tthere {Enter}');
    expect(client.sent('chat')).toEqual([['hello there']]);
    expect(field()).toBeNull();
    expect(page.store.getState().chatAt).toBeNull();
    expect(page.ownCursor.bubble.el.textContent).toBe('hello there');
  });

  it('closes on Escape without sending', async () => {
    const { client } = openChat();
    await userEvent.setup().type(field() as HTMLInputElement, 'never mind{Escape}');
    expect(field()).toBeNull();
    expect(client.sent('chat')).toEqual([]);
  });

  it('stays open and says so when we chat faster than the server relays', async () => {
    const { page, client } = openChat();
    const user = userEvent.setup();
    for (let i = 0; i < 4; i++) {
      await user.type(field() as HTMLInputElement, `m${i}{Enter}`);
      act(() => page.api(chatFeature).open());
    }
    await user.type(field() as HTMLInputElement, 'one more{Enter}');
    expect(client.sent('chat')).toHaveLength(4);
    expect(field()?.value).toBe('one more');
    expect(field()?.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Too fast, try again in a moment')).toBeTruthy();
  });

  it('shows others’ relayed messages beside their cursors', () => {
    const { page, client } = testPage([chatFeature]);
    act(() => welcome(client, [someone(2, 'Ada', { at: { x: 10, y: 10 } })]));
    client.emit('relay', { t: 'chat', id: 2, text: 'hi all' });
    const layer = document.createElement('div');
    page.cursorLayer.ref(layer);
    const bubble = layer.querySelector('[data-user-id="2"] [data-testid="cursor-chat"]');
    expect(bubble?.textContent).toBe('hi all');
  });
});
