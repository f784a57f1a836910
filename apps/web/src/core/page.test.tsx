// @vitest-environment happy-dom
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderInPage, someone, testPage, welcome } from '../test/test-page.tsx';
import { Board } from './cursor/Board.tsx';
import { defineFeature } from './feature.ts';

describe('startPage', () => {
  it('wires the client into the store, and stop() undoes every listener and closes', () => {
    const { page, client } = testPage();
    expect(client.listening).toBeGreaterThan(0);
    act(() => welcome(client, [someone(2, 'Ada')]));
    expect(page.store.getState().users.map((u) => u.name)).toEqual(['Ada']);
    expect(page.store.getState().status).toBe('open');
    page.stop();
    expect(client.listening).toBe(0);
    expect(client.sent('close')).toHaveLength(1);
  });

  it('makes pages that share nothing: two pages, two stores', () => {
    const one = testPage();
    const two = testPage();
    act(() => welcome(one.client, [someone(2, 'Ada')]));
    expect(one.page.store.getState().users).toHaveLength(1);
    expect(two.page.store.getState().users).toHaveLength(0);
  });

  it('starts features in order, hands out their api, and puts their UI in slots', () => {
    const calls: string[] = [];
    const first = defineFeature<{ hello: () => string }>({
      name: 'first',
      start: () => {
        calls.push('first');
        return { api: { hello: () => 'hi' }, stop: () => calls.push('first stopped') };
      },
    });
    const second = defineFeature({
      name: 'second',
      start: (page) => {
        calls.push(`second sees ${page.api(first).hello()}`);
        return { ui: { frame: () => <p data-testid="from-second">second</p> } };
      },
    });
    const { page } = testPage([first, second]);
    expect(calls).toEqual(['first', 'second sees hi']);
    expect(page.ui('frame').map((e) => e.key)).toEqual(['second']);
    renderInPage(page, <Board />);
    expect(screen.getByTestId('from-second').textContent).toBe('second');
    expect(() => page.api(defineFeature({ name: 'absent', start: () => ({}) }))).toThrow(
      /"absent" feature is not on the page/,
    );
    page.stop();
    expect(calls.at(-1)).toBe('first stopped');
  });
});

describe('board gestures', () => {
  it('a registered gesture can take a press without any edit of the board or the pointer', () => {
    const taken: boolean[] = [];
    const altClick = defineFeature({
      name: 'alt-click',
      start: (page) => ({
        stop: page.gestures.add({
          press: (_at, e) => {
            taken.push(e.altKey);
            return e.altKey;
          },
        }),
      }),
    });
    const { page, client } = testPage([altClick]);
    renderInPage(page, <Board />);
    const board = screen.getByTestId('board');
    fireEvent.pointerDown(board, { altKey: true, pointerType: 'mouse' });
    expect(client.sent('setPointer')).toEqual([]);
    fireEvent.pointerDown(board, { pointerType: 'mouse' });
    expect(client.sent('setPointer')).toEqual([[{ kind: 'mouse', pressed: true }]]);
    expect(taken).toEqual([true, false]);
  });

  it('while a gesture is busy the pointer does not point', () => {
    let busy = true;
    const hold = defineFeature({
      name: 'hold',
      start: (page) => ({ stop: page.gestures.add({ busy: () => busy }) }),
    });
    const { page, client } = testPage([hold]);
    renderInPage(page, <Board />);
    const board = screen.getByTestId('board');
    fireEvent.pointerMove(board, { pointerType: 'touch', buttons: 1 });
    fireEvent.pointerDown(board, { pointerType: 'touch' });
    expect(client.sent('setPointer')).toEqual([[{ kind: 'touch', pressed: false }]]);
    busy = false;
    fireEvent.pointerMove(board, { pointerType: 'touch', buttons: 1 });
    expect(client.sent('setPointer').at(-1)).toEqual([{ kind: 'touch', pressed: true }]);
  });
});
