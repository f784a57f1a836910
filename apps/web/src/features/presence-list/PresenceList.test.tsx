// @vitest-environment happy-dom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderInPage, someone, testPage, welcome } from '../../test/test-page.tsx';
import { PresenceList } from './PresenceList.tsx';

const items = () =>
  screen.getAllByTestId('presence-item').map((li) => ({
    id: li.dataset.userId,
    name: li.querySelector('.presence-name')?.textContent,
    you: li.querySelector('.you') !== null,
    state: li.dataset.state,
  }));

describe('PresenceList', () => {
  it('lists ourselves first, then everyone in the order they arrived, as the room changes', () => {
    const { page, client } = testPage();
    renderInPage(page, <PresenceList />);
    expect(screen.queryAllByTestId('presence-item')).toEqual([]);

    act(() => welcome(client, [someone(2, 'Ada'), someone(3, 'Grace', { state: 'away' })]));
    expect(items()).toEqual([
      { id: '1', name: 'Me', you: true, state: 'active' },
      { id: '2', name: 'Ada', you: false, state: 'active' },
      { id: '3', name: 'Grace', you: false, state: 'away' },
    ]);

    act(() => client.emit('join', someone(4, 'Linus')));
    act(() => client.emit('leave', 2, someone(2, 'Ada')));
    act(() => client.emit('update', someone(3, 'Grace', { state: 'idle' }), 'state'));
    expect(items().map((i) => `${i.id} ${i.state}`)).toEqual(['1 active', '3 idle', '4 active']);
    expect(screen.getByText('idle')).toBeTruthy();
  });

  it('tells lookalike names apart with the same suffix everyone sees', () => {
    const { page, client } = testPage();
    renderInPage(page, <PresenceList />);
    act(() => welcome(client, [someone(2, 'Ana'), someone(3, 'Аna')])); // Cyrillic А
    const names = screen.getAllByTestId('presence-item').map((li) => li.dataset.name);
    const labels = [...document.querySelectorAll('.presence-name')].map((el) => el.textContent);
    expect(names).toEqual(['Me', 'Ana', 'Аna']);
    expect(labels[1]).not.toBe(labels[2]);
    expect(labels[1]?.startsWith('Ana')).toBe(true);
  });

  it('follows the one pressed, and stops on a second press', async () => {
    const { page, client } = testPage();
    renderInPage(page, <PresenceList />);
    act(() => welcome(client, [someone(2, 'Ada')]));
    const button = within(screen.getAllByTestId('presence-item')[1] as HTMLElement).getByTestId(
      'follow-button',
    );
    const user = userEvent.setup();
    await user.click(button);
    expect(client.sent('follow')).toEqual([[2]]);
    expect(button.getAttribute('aria-pressed')).toBe('true');
    expect(page.store.getState().following).toBe(2);
    await user.click(button);
    expect(client.sent('follow')).toEqual([[2], [null]]);
    expect(button.getAttribute('aria-pressed')).toBe('false');
  });

  it('gets a search field in a crowd', async () => {
    const { page, client } = testPage();
    renderInPage(page, <PresenceList />);
    const crowd = Array.from({ length: 9 }, (_, i) => someone(i + 2, `Guest ${i + 2}`));
    act(() => welcome(client, [...crowd, someone(20, 'Zed')]));
    await userEvent.setup().type(screen.getByTestId('presence-search'), 'ze');
    expect(items().map((i) => i.id)).toEqual(['1', '20']);
  });
});
