// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderInPage, testPage } from '../../test/test-page.tsx';
import { NameEditor } from './NameEditor.tsx';

const input = () => screen.getByTestId('name-input') as HTMLInputElement;

describe('NameEditor', () => {
  it('starts from the remembered name, sends a new one once on Enter, and remembers it', async () => {
    localStorage.setItem('cursorline:name', 'Ada');
    const { page, client } = testPage();
    expect(page.initialName).toBe('Ada');
    renderInPage(page, <NameEditor />);
    expect(input().value).toBe('Ada');

    const user = userEvent.setup();
    await user.clear(input());
    await user.type(input(), '  Ada   Lovelace {Enter}');
    // Enter blurs, the blur commits: sent once, cleaned as the server would.
    expect(client.sent('setName')).toEqual([['Ada Lovelace']]);
    expect(input().value).toBe('Ada Lovelace');
    expect(localStorage.getItem('cursorline:name')).toBe('Ada Lovelace');

    // The same name again is no news.
    await user.click(input());
    await user.tab();
    expect(client.sent('setName')).toHaveLength(1);
  });

  it('puts the last good name back for an empty or refused one, and on Escape', async () => {
    localStorage.setItem('cursorline:name', 'Grace');
    const { page, client } = testPage();
    renderInPage(page, <NameEditor />);
    const user = userEvent.setup();

    await user.clear(input());
    await user.type(input(), '   {Enter}');
    expect(input().value).toBe('Grace');

    await user.clear(input());
    await user.type(input(), 'Bad\u200bName{Enter}'); // a zero-width space: the server refuses it
    expect(input().value).toBe('Grace');

    await user.clear(input());
    await user.type(input(), 'Someone else{Escape}');
    expect(input().value).toBe('Grace');
    await user.tab();
    expect(client.sent('setName')).toEqual([]);
  });
});
