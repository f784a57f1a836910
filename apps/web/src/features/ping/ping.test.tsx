// @vitest-environment happy-dom
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Board } from '../../core/cursor/Board.tsx';
import { renderInPage, SELF, someone, testPage, welcome } from '../../test/test-page.tsx';
import { pingFeature } from './index.ts';

function pingPage() {
  const { page, client } = testPage([pingFeature]);
  renderInPage(page, <Board />);
  act(() => welcome(client, [someone(2, 'Ada', { color: '#2e7d32' })]));
  return { page, client, board: screen.getByTestId('board') };
}
const rings = () => [...document.querySelectorAll<HTMLElement>('[data-testid="ping"]')];

describe('ping', () => {
  it('Alt+press sends a ping and shows our own ring; a plain press is a press', () => {
    const { client, board } = pingPage();
    fireEvent.pointerDown(board, { altKey: true, pointerType: 'mouse' });
    const pings = client.sent('send').filter(([msg]) => (msg as { t: string }).t === 'ping');
    expect(pings).toHaveLength(1);
    // The gesture took the press: our cursor does not show as pressed for a ping.
    expect(client.sent('setPointer')).toEqual([]);
    expect(rings().map((r) => r.dataset.userId)).toEqual([String(SELF.id)]);
    fireEvent.pointerDown(board, { pointerType: 'mouse' });
    expect(client.sent('setPointer')).toEqual([[{ kind: 'mouse', pressed: true }]]);
    expect(rings()).toHaveLength(1);
  });

  it("shows someone else's ping in their colour, where they pinged", () => {
    const { client } = pingPage();
    act(() => client.emit('relay', { t: 'ping', id: 2, at: { x: 300, y: 200 } }));
    const [ring] = rings();
    expect(ring?.dataset.userId).toBe('2');
    expect(ring?.style.getPropertyValue('--user-light')).toBe('#2e7d32');
    expect(ring?.style.transform).toContain('translate(300px, 200px)');
  });

  it('keeps under the server limit: a burst of Alt+clicks sends only what the server relays', () => {
    const { client, board } = pingPage();
    for (let i = 0; i < 20; i++)
      fireEvent.pointerDown(board, { altKey: true, pointerType: 'mouse' });
    const sent = client.sent('send').length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(4); // MESSAGE_RATES.ping.burst
    expect(rings()).toHaveLength(sent);
  });
});
