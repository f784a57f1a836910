import { encodeBatchText } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/rng.ts';
import {
  countSingleBatch,
  encodeSockjsMessages,
  parseSockjsFrame,
  sockjsWebSocketUrl,
} from '../src/sockjs-wire.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('SockJS framing', () => {
  it('builds the websocket transport URL', () => {
    const url = sockjsWebSocketUrl('http://127.0.0.1:8787/', seededRandom(1));
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:8787\/sockjs\/\d{3}\/[a-z0-9]{8}\/websocket$/);
  });

  it('parses the frames a server sends', () => {
    expect(parseSockjsFrame('o')).toEqual({ kind: 'open' });
    expect(parseSockjsFrame('h')).toEqual({ kind: 'heartbeat' });
    expect(parseSockjsFrame('a["x","{\\"t\\":1}"]')).toEqual({
      kind: 'messages',
      messages: ['x', '{"t":1}'],
    });
    expect(parseSockjsFrame('c[1013,"too slow"]')).toEqual({
      kind: 'close',
      code: 1013,
      reason: 'too slow',
    });
    expect(parseSockjsFrame('a[1]').kind).toBe('invalid');
    expect(parseSockjsFrame('z').kind).toBe('invalid');
  });

  it('sends messages as a JSON array, as sockjs-client does', () => {
    expect(encodeSockjsMessages(['cAAAAAA'])).toBe('["cAAAAAA"]');
  });

  it('counts the updates of a single-batch frame from its length alone', () => {
    const batch = encodeBatchText([
      { id: 1, at: { x: 1, y: 2 } },
      { id: 2, at: { x: 1600, y: 1000 } },
      { id: 3, at: null },
    ]);
    const frame = `a${encodeSockjsMessages([batch])}`;
    expect(countSingleBatch(bytes(frame))).toBe(3);
    expect(countSingleBatch(bytes(`a${encodeSockjsMessages([batch, batch])}`))).toBeUndefined();
    expect(countSingleBatch(bytes('a["{\\"t\\":\\"leave\\",\\"id\\":12345}"]'))).toBeUndefined();
    expect(countSingleBatch(bytes('h'))).toBeUndefined();
  });
});
