import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOARD_HEIGHT,
  BOARD_WIDTH,
  CloseCode,
  type CursorUpdate,
  decodeClientFrame,
  decodeServerFrame,
  encodeBatchBinary,
  encodeBatchText,
  encodeJson,
  encodeMoveBinary,
  encodeMoveText,
  PALETTE,
  type Point,
  type Welcome,
} from '../src/index.ts';

const point = fc.record({
  x: fc.integer({ min: 0, max: BOARD_WIDTH }),
  y: fc.integer({ min: 0, max: BOARD_HEIGHT }),
});
const maybePoint = fc.option(point, { nil: null });
const update = fc.record({ id: fc.integer({ min: 1, max: 0xffffffff }), at: maybePoint });
const bytes = (...b: number[]) => new Uint8Array(b);

describe('compact cursor codecs', () => {
  it('round-trip a move in both forms', () => {
    fc.assert(
      fc.property(maybePoint, (at: Point | null) => {
        expect(decodeClientFrame(encodeMoveBinary(at))).toEqual({
          ok: true,
          msg: { t: 'cursor', at },
        });
        expect(decodeClientFrame(encodeMoveText(at))).toEqual({
          ok: true,
          msg: { t: 'cursor', at },
        });
      }),
    );
  });

  it('round-trip a batch in both forms', () => {
    fc.assert(
      fc.property(fc.array(update, { maxLength: 50 }), (moves: CursorUpdate[]) => {
        const expected = { ok: true, msg: { t: 'cursors', moves } };
        expect(decodeServerFrame(encodeBatchBinary(moves))).toEqual(expected);
        expect(decodeServerFrame(encodeBatchText(moves))).toEqual(expected);
      }),
    );
  });

  it('is small: 8 bytes per update in binary, 12 characters in text', () => {
    const moves = [{ id: 0xffffffff, at: { x: 1600, y: 1000 } }];
    expect(encodeBatchBinary(moves).length).toBe(1 + 8);
    expect(encodeBatchText(moves).length).toBe(1 + 12);
    expect(encodeMoveBinary({ x: 1, y: 2 }).length).toBe(5);
    expect(encodeMoveText({ x: 1, y: 2 })).toHaveLength(7);
  });

  it.each([
    ['empty binary', bytes()],
    ['wrong binary type', bytes(0x09, 0, 1, 0, 1)],
    ['short binary move', bytes(0x01, 0, 1, 0)],
    ['long binary move', bytes(0x01, 0, 1, 0, 1, 0)],
    ['x beyond the board', bytes(0x01, 0x06, 0x41, 0, 1)],
    ['only x hidden', bytes(0x01, 0xff, 0xff, 0, 1)],
    ['batch sent by a client', encodeBatchBinary([{ id: 1, at: null }])],
    ['short text move', 'cAAA'],
    ['text move with a bad digit', 'cAA*AAA'],
    ['text move beyond the board', 'cAZBAAA'], // x = 1601
    ['text move with non-ASCII', 'cAAAAAé'],
  ])('rejects a malformed cursor frame from a client: %s', (_name, frame) => {
    const result = decodeClientFrame(frame as string | Uint8Array<ArrayBuffer>);
    expect(result).toMatchObject({ ok: false, code: CloseCode.InvalidData });
  });

  it('never throws on arbitrary input, and says why it refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 }), fc.json()),
        (frame: string | Uint8Array) => {
          const result = decodeClientFrame(frame as string | Uint8Array<ArrayBuffer>);
          if (!result.ok) {
            expect([CloseCode.InvalidData, CloseCode.PolicyViolation]).toContain(result.code);
            expect(Buffer.byteLength(result.reason)).toBeLessThanOrEqual(123);
          }
          decodeServerFrame(frame as string | Uint8Array<ArrayBuffer>);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects malformed batches from a server', () => {
    expect(decodeServerFrame(bytes(0x02, 0, 0, 0))).toMatchObject({ ok: false });
    expect(decodeServerFrame(bytes(0x02, 0, 0, 0, 0, 0, 1, 0, 1))).toMatchObject({ ok: false }); // id 0
    expect(decodeServerFrame('CAAAAAB')).toMatchObject({ ok: false });
  });
});

describe('JSON messages', () => {
  const hello = { t: 'hello', v: 1, room: 'lobby', name: 'Ada' };

  it('accepts a hello and trims the name', () => {
    const result = decodeClientFrame(JSON.stringify({ ...hello, name: '  Ada  ' }));
    expect(result).toEqual({ ok: true, msg: hello });
  });

  it('accepts every client message type', () => {
    for (const msg of [
      { t: 'name', name: 'Ada' },
      { t: 'state', state: 'away' },
      { t: 'pointer', kind: 'touch', pressed: true },
      { t: 'view', view: { x: 0, y: 0, w: 1600, h: 1000 } },
      { t: 'chat', text: 'hi there' },
      { t: 'chat', text: '' },
      { t: 'react', emoji: '🎉' },
      { t: 'bye' },
      { ...hello, resume: 'AAAAAAAAAAAAAAAAAAAAAA' },
    ]) {
      expect(decodeClientFrame(JSON.stringify(msg))).toEqual({ ok: true, msg });
    }
  });

  it('drops identity fields a client tries to set', () => {
    const result = decodeClientFrame(JSON.stringify({ ...hello, id: 7, color: '#000000' }));
    expect(result).toEqual({ ok: true, msg: hello });
  });

  it.each([
    ['not JSON', '{"t":"hello"', CloseCode.InvalidData],
    ['a JSON array', '[1,2]', CloseCode.PolicyViolation],
    ['a JSON string', '"hello"', CloseCode.PolicyViolation],
    ['no type', '{"v":1}', CloseCode.PolicyViolation],
    ['an unknown type', '{"t":"explode"}', CloseCode.PolicyViolation],
    ['a prototype key as type', '{"t":"__proto__"}', CloseCode.PolicyViolation],
    ['a room with a slash', JSON.stringify({ ...hello, room: 'a/b' }), CloseCode.PolicyViolation],
    [
      'a room too long',
      JSON.stringify({ ...hello, room: 'r'.repeat(65) }),
      CloseCode.PolicyViolation,
    ],
    ['an empty name', JSON.stringify({ ...hello, name: '   ' }), CloseCode.PolicyViolation],
    [
      'a name too long',
      JSON.stringify({ ...hello, name: 'n'.repeat(33) }),
      CloseCode.PolicyViolation,
    ],
    [
      'a name with control characters',
      JSON.stringify({ ...hello, name: 'a\u0007b' }),
      CloseCode.PolicyViolation,
    ],
    [
      'a name with a bidi override',
      JSON.stringify({ ...hello, name: 'a\u202eb' }),
      CloseCode.PolicyViolation,
    ],
    [
      'a version that is not a number',
      JSON.stringify({ ...hello, v: '1' }),
      CloseCode.PolicyViolation,
    ],
    ['a rename without a name', '{"t":"name"}', CloseCode.PolicyViolation],
    [
      'a malformed resume token',
      JSON.stringify({ ...hello, resume: 'x' }),
      CloseCode.PolicyViolation,
    ],
    [
      'a chat too long',
      JSON.stringify({ t: 'chat', text: 'c'.repeat(81) }),
      CloseCode.PolicyViolation,
    ],
    [
      'a chat with control characters',
      '{"t":"chat","text":"a\\u001b[2Jb"}',
      CloseCode.PolicyViolation,
    ],
    ['a reaction not on the list', '{"t":"react","emoji":"💩"}', CloseCode.PolicyViolation],
    [
      'a view off the board',
      '{"t":"view","view":{"x":1000,"y":0,"w":800,"h":10}}',
      CloseCode.PolicyViolation,
    ],
    [
      'an unknown pointer kind',
      '{"t":"pointer","kind":"wand","pressed":false}',
      CloseCode.PolicyViolation,
    ],
    [
      'a client claiming to be offline',
      '{"t":"state","state":"offline"}',
      CloseCode.PolicyViolation,
    ],
  ])('rejects %s', (_name, frame, code) => {
    const result = decodeClientFrame(frame);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });

  it('validates what the server sends too', () => {
    const welcome = {
      t: 'welcome',
      v: 1,
      room: 'lobby',
      self: { id: 1, name: 'Ada', color: '#e6194b' },
      users: [
        {
          id: 2,
          name: 'Bob',
          color: '#3cb44b',
          at: { x: 1, y: 2 },
          state: 'idle',
          pointer: { kind: 'pen', pressed: true },
          view: { x: 0, y: 100, w: 800, h: 500 },
        },
      ],
      count: 1,
      resume: 'abcdefghijklmnopqrstuv',
      resumed: false,
    } satisfies Welcome;
    expect(decodeServerFrame(encodeJson(welcome))).toEqual({ ok: true, msg: welcome });
    expect(decodeServerFrame(JSON.stringify({ ...welcome, self: { id: 0 } }))).toMatchObject({
      ok: false,
    });
    expect(decodeServerFrame('{"t":"changes","users":[],"left":[-1]}')).toMatchObject({
      ok: false,
    });
    // v3: arrivals and departures ride in the tick's `changes` frame, not frames of their own.
    expect(decodeServerFrame('{"t":"leave","id":1}')).toMatchObject({ ok: false });
    const changes = { t: 'changes', users: [], joined: welcome.users, left: [3], count: 2 };
    expect(decodeServerFrame(JSON.stringify(changes))).toEqual({ ok: true, msg: changes });
  });

  it('v3 client messages: follow and who', () => {
    expect(decodeClientFrame('{"t":"follow","id":7}')).toEqual({
      ok: true,
      msg: { t: 'follow', id: 7 },
    });
    expect(decodeClientFrame('{"t":"follow","id":null}').ok).toBe(true);
    expect(decodeClientFrame('{"t":"who","after":0}').ok).toBe(true);
    expect(decodeClientFrame('{"t":"who","ids":[1,2]}').ok).toBe(true);
    const tooMany = JSON.stringify({ t: 'who', ids: Array.from({ length: 101 }, (_, i) => i + 1) });
    expect(decodeClientFrame(tooMany)).toMatchObject({ ok: false, code: 1008 });
  });
});

describe('palette', () => {
  /** WCAG relative luminance and contrast ratio. */
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);

  it('keeps white label text readable on every color (WCAG AA, 4.5:1)', () => {
    for (const color of PALETTE) expect(contrastWithWhite(color)).toBeGreaterThanOrEqual(4.5);
  });

  it('has no duplicates', () => {
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
  });
});
