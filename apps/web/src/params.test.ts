import { describe, expect, it } from 'vitest';
import { readParams } from './params.ts';

describe('readParams', () => {
  it('defaults to the lobby over ws', () => {
    expect(readParams('')).toEqual({ room: 'lobby', transport: 'ws' });
  });

  it('reads room and transport', () => {
    expect(readParams('?room=team_1-a&transport=sockjs')).toEqual({
      room: 'team_1-a',
      transport: 'sockjs',
    });
  });

  it('falls back to the lobby for a room the server would refuse', () => {
    expect(readParams('?room=a%20b').room).toBe('lobby');
    expect(readParams('?room=').room).toBe('lobby');
    expect(readParams(`?room=${'x'.repeat(65)}`).room).toBe('lobby');
    expect(readParams(`?room=${'x'.repeat(64)}`).room).toBe('x'.repeat(64));
  });

  it('treats an unknown transport as ws', () => {
    expect(readParams('?transport=carrier-pigeon').transport).toBe('ws');
  });

  it('forcing a SockJS fallback implies SockJS', () => {
    expect(readParams('?sockjs=xhr-polling')).toEqual({
      room: 'lobby',
      transport: 'sockjs',
      sockjsTransports: ['xhr-polling'],
    });
  });

  it('ignores an unknown SockJS fallback', () => {
    expect(readParams('?sockjs=flash&transport=sockjs')).toEqual({
      room: 'lobby',
      transport: 'sockjs',
    });
  });
});
