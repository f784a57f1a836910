import { describe, expect, it } from 'vitest';
import { statusText } from './status-text.ts';

const base = { transport: '', closeReason: '', msLeft: null };

describe('statusText', () => {
  it('names the transport when connected', () => {
    expect(statusText({ ...base, status: 'open', transport: 'sockjs/xhr-polling' })).toBe(
      'Connected · sockjs/xhr-polling',
    );
  });

  it('says why it is not on raw WebSocket', () => {
    expect(
      statusText({
        ...base,
        status: 'open',
        transport: 'sockjs/xhr-streaming',
        fallback: 'WebSocket blocked',
      }),
    ).toBe('Connected · sockjs/xhr-streaming · WebSocket blocked');
  });

  it('counts down to the next attempt', () => {
    expect(statusText({ ...base, status: 'reconnecting', msLeft: 2140 })).toBe(
      'Reconnecting in 2.1 s…',
    );
    expect(statusText({ ...base, status: 'reconnecting', msLeft: 0 })).toBe('Reconnecting…');
  });

  it('says why it gave up', () => {
    expect(statusText({ ...base, status: 'closed', closeReason: 'name is empty' })).toBe(
      'Disconnected: name is empty',
    );
    expect(statusText({ ...base, status: 'closed' })).toBe('Disconnected');
  });

  it('explains a full room and a request to slow down', () => {
    expect(
      statusText({ ...base, status: 'closed', closeCode: 4004, closeReason: 'room full' }),
    ).toBe('This room is full: try another room');
    expect(statusText({ ...base, status: 'reconnecting', closeCode: 4005, msLeft: 5200 })).toBe(
      'Too many messages; reconnecting in 5.2 s…',
    );
  });
});
