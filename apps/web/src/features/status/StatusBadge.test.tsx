// @vitest-environment happy-dom
import { CloseCode } from '@cursorline/protocol';
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInPage, testPage } from '../../test/test-page.tsx';
import { StatusBadge } from './StatusBadge.tsx';

afterEach(() => {
  vi.useRealTimers();
});

describe('StatusBadge', () => {
  it('says how we are connected, and why not on raw WebSocket', () => {
    const { page, client } = testPage();
    renderInPage(page, <StatusBadge />);
    const badge = screen.getByTestId('status');
    expect(badge.dataset.state).toBe('connecting');
    expect(badge.textContent).toBe('Connecting…');

    act(() =>
      client.emit('status', 'open', {
        transport: 'sockjs/xhr-streaming',
        fallback: 'WebSocket blocked',
      }),
    );
    expect(badge.dataset.state).toBe('open');
    expect(badge.dataset.transport).toBe('sockjs/xhr-streaming');
    expect(badge.textContent).toBe('Connected · sockjs/xhr-streaming · WebSocket blocked');
  });

  it('counts down to the next attempt while reconnecting, with the last close in its title', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { page, client } = testPage();
    renderInPage(page, <StatusBadge />);
    act(() =>
      client.emit('status', 'reconnecting', {
        transport: '',
        code: 1006,
        reason: 'gone',
        retryInMs: 2000,
      }),
    );
    const badge = screen.getByTestId('status');
    expect(badge.textContent).toBe('Reconnecting in 2.0 s…');
    expect(badge.title).toBe('Last close: 1006 gone');
    act(() => vi.advanceTimersByTime(1500));
    expect(badge.textContent).toBe('Reconnecting in 0.5 s…');
    act(() => vi.advanceTimersByTime(1000));
    expect(badge.textContent).toBe('Reconnecting…');
  });

  it('says a full room is full, for good', () => {
    const { page, client } = testPage();
    renderInPage(page, <StatusBadge />);
    act(() =>
      client.emit('status', 'closed', { transport: '', code: CloseCode.RoomFull, reason: 'full' }),
    );
    expect(screen.getByTestId('status').textContent).toBe('This room is full: try another room');
  });
});
