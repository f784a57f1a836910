import {
  BOARD_HEIGHT,
  BOARD_WIDTH,
  CLIENT_JSON_TYPES,
  type ClientJson,
  decodeClientFrame,
  LIMITS,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  REACTIONS,
} from '@cursorline/protocol';

/**
 * Seeded, reproducible hostile input for the structure-aware fuzzer. Everything here is pure:
 * the same seed gives the same frames, whatever the order connections run in, because every
 * connection draws from its own generator (`rngFor(seed, endpoint, index)`).
 *
 * A generated frame knows its kind (for the counts), the markers it carries in user-visible
 * fields (names, chat text: other users must never see a marker from a refused frame), and
 * whether it is broken at the WebSocket layer (invalid UTF-8 in a text frame), where the
 * WebSocket library, not the server, picks the close code.
 */

// ---- PRNG -----------------------------------------------------------------------------------

export interface Rng {
  next(): number;
  /** Integer in [0, max]. */
  int(max: number): number;
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast, good enough to fuzz with, and identical on every platform. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * (max + 1));
  return {
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
  };
}

/** A seed for one connection of one endpoint, from the run's seed (FNV-1a over the parts). */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export const rngFor = (seed: number, ...parts: (string | number)[]) =>
  rng(deriveSeed(seed, ...parts));

/** The run's seed: FUZZ_SEED=n replays a run; otherwise a new one (always printed). */
export function runSeed(): number {
  const env = process.env.FUZZ_SEED;
  if (env !== undefined && env !== '' && Number.isFinite(Number(env))) return Number(env) >>> 0;
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

// ---- markers ----------------------------------------------------------------------------------

let markerCount = 0;
/** A unique ASCII tag put into names and chat text, so leaks can be found in what others see. */
export function newMarker(): string {
  markerCount++;
  return `qz${markerCount.toString(36).padStart(6, '0')}`;
}
export const MARKER_RE = /qz[0-9a-z]{6}/g;

// ---- hostile text -----------------------------------------------------------------------------

export const PIECES = {
  emoji4: ['😀', '🦄', '𝕏', '🏳️‍🌈', '👨‍👩‍👧‍👦', '🇺🇳'],
  cjk: ['漢', '字', 'か', 'ナ', '한', '國', '𠀋'],
  combining: [
    'e\u0301',
    'a\u0300\u0301\u0302\u0303\u0304',
    '\u0338',
    '\u20dd',
    'Z\u036b\u0363\u0364',
  ],
  lone: ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'],
  zeroWidth: ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e'],
  bidi: [
    '\u202e',
    '\u202d',
    '\u202a',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u200e',
    '\u200f',
    '\u061c',
  ],
  fillers: ['\u3164', '\u115f', '\u1160', '\u2800', '\uffa0', '\u00ad', '\u034f', '\u2800\u2800'],
  control: ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\r\n', '\t'],
  numeric: [
    'NaN',
    '-NaN',
    'Infinity',
    '-Infinity',
    '-0',
    '0x10',
    '1e308',
    '1e309',
    '9007199254740993',
    '١٢٣',
    '0b1',
  ],
  proto: [
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
  ],
  spaces: [' ', '\u00a0', '\u2003', '\u3000', '\u205f'],
  ascii: ['a', 'Z', '0', '_', '-', '"', '\\', '<', '>', '{', '}', '%', '&', "'", '/'],
} as const;
type PieceKind = keyof typeof PIECES;
const PIECE_KINDS = Object.keys(PIECES) as PieceKind[];

/** A string built from hostile pieces; its length (in UTF-16 units) often sits at a limit. */
export function hostileText(r: Rng, limit: number): string {
  const target = r.pick([0, 1, limit - 1, limit, limit + 1, r.int(limit * 2), r.int(400), 2000]);
  const kinds = r.chance(0.3) ? [r.pick(PIECE_KINDS)] : PIECE_KINDS;
  let out = '';
  for (let guard = 0; out.length < target && guard < 4000; guard++) {
    out += r.pick(PIECES[r.pick(kinds)]);
  }
  return r.chance(0.5) ? out.slice(0, Math.max(0, target)) : out; // a cut may split a pair
}

/** A name or chat text: sometimes valid, sometimes not, always carrying a marker. */
function textWithMarker(r: Rng, limit: number, markers: string[]): string {
  const m = newMarker();
  markers.push(m);
  switch (r.int(5)) {
    case 0:
      return m; // plainly valid
    case 1:
      return `${m}${hostileText(r, limit - m.length)}`;
    case 2:
      return `${hostileText(r, 8)}${m}${hostileText(r, 8)}`;
    case 3:
      return `${m}${'😀'.repeat(r.range(0, limit))}`; // limit counted in code units, not bytes
    case 4:
      return `${r.pick(PIECES.spaces)}${m}${r.pick([...PIECES.zeroWidth, ...PIECES.bidi])}`;
    default:
      return `${m}${'x'.repeat(r.range(limit - 9, limit + 2))}`;
  }
}

// ---- JSON text, built by hand (JSON.stringify cannot write -0, 1e400, duplicate or __proto__ keys,
// and would recurse on deep nesting) -----------------------------------------------------------

const q = (s: string) => JSON.stringify(s); // escapes lone surrogates as \udXXX (well-formed)

const RAW_NUMBERS = [
  '-0',
  '0',
  '1',
  '1.0',
  '1e0',
  '-1',
  '0.5',
  '1e308',
  '-1e308',
  '1e309',
  '1e400',
  '-1e400',
  '1e-400',
  '9007199254740993',
  '18446744073709551616',
  '1'.padEnd(400, '0'),
  '65535',
  '65536',
  '4294967295',
  '4294967296',
  '1600',
  '1601',
  '1000',
  '1001',
  '2',
  '-2147483649',
  '0.0000001',
  '1E3',
  '01',
  '.5',
  '+1',
  'NaN',
  'Infinity',
  '0x1',
] as const;

/** Some JSON value of the wrong shape for whatever field it lands in. */
export function hostileValue(r: Rng, depth = 0): string {
  const choice = r.int(depth > 3 ? 5 : 9);
  switch (choice) {
    case 0:
      return r.pick(RAW_NUMBERS);
    case 1:
      return r.pick(['null', 'true', 'false']);
    case 2:
      return q(r.pick([...PIECES.numeric, ...PIECES.proto, '', 'hello', 'mouse', 'active']));
    case 3:
      return q(hostileText(r, 40));
    case 4:
      return r.pick(['[]', '{}', '[""]', '[null]', '{"x":1}', '[1,2,3]']);
    case 5:
      return q(r.pick(REACTIONS) + r.pick(['', '\ufe0f', '\u200d', ' ']));
    case 6:
      return `[${Array.from({ length: r.int(4) }, () => hostileValue(r, depth + 1)).join(',')}]`;
    case 7:
      return objectText(
        Array.from({ length: r.int(4) }, () => [
          r.pick([...PIECES.proto, 't', 'x', 'y', 'name']),
          hostileValue(r, depth + 1),
        ]),
      );
    case 8:
      return nested(r.pick(['[', '{"a":']), r.range(10, 400), 'null');
    default:
      return `"${'x'.repeat(r.int(100))}"`;
  }
}

function objectText(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${q(k)}:${v}`).join(',')}}`;
}

/** `depth` levels of `open` around `inner`, closed properly. */
export function nested(open: '[' | '{"a":', depth: number, inner: string): string {
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + inner + close.repeat(depth);
}

// ---- frames ------------------------------------------------------------------------------------

export interface FuzzFrame {
  kind: string;
  /** Text, or bytes (a binary frame unless `textBytes`). */
  data: string | Uint8Array;
  /** Bytes to be sent as a TEXT frame (invalid UTF-8 on purpose). */
  textBytes?: boolean;
  /** Broken at the WebSocket layer: the WebSocket library answers, with its own codes. */
  wireLevel?: boolean;
  /** Markers in user-visible fields (names, chat text). */
  markers: string[];
}

const FIELDS = [
  't',
  'v',
  'room',
  'name',
  'resume',
  'state',
  'kind',
  'pressed',
  'view',
  'text',
  'emoji',
  'at',
  'id',
  'ids',
  'after',
] as const;
/** Every message type the protocol knows (a new one is fuzzed as soon as it exists), and two forms. */
const TYPES = [...CLIENT_JSON_TYPES, 'cursor', 'cursors'];

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const digits = (value: number, width: number) => {
  let out = '';
  for (let i = width - 1; i >= 0; i--) out += DIGITS[Math.floor(value / 64 ** i) % 64];
  return out;
};
export const textMove = (x: number, y: number) => `c${digits(x, 3)}${digits(y, 3)}`;
export function binaryMove(x: number, y: number, type = 0x01, length = 5): Uint8Array {
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out[0] = type;
  if (length >= 3) view.setUint16(1, x & 0xffff);
  if (length >= 5) view.setUint16(3, y & 0xffff);
  return out;
}

const token = (r: Rng) => Array.from({ length: 22 }, () => DIGITS[r.int(63)]).join('');

/** A valid value for one field (so a message can be valid but for the one field we break). */
function validField(r: Rng, field: (typeof FIELDS)[number], t: string, markers: string[]): string {
  switch (field) {
    case 't':
      return q(t);
    case 'v':
      return String(PROTOCOL_VERSION);
    case 'room':
      return q('fuzz');
    case 'name':
    case 'text': {
      const m = newMarker();
      markers.push(m);
      return q(m);
    }
    case 'resume':
      return q(token(r));
    case 'state':
      return q(r.pick(['active', 'idle', 'away']));
    case 'kind':
      return q(r.pick(['mouse', 'touch', 'pen']));
    case 'pressed':
      return r.pick(['true', 'false']);
    case 'view':
      return `{"x":0,"y":0,"w":${r.int(BOARD_WIDTH)},"h":${r.int(BOARD_HEIGHT)}}`;
    case 'emoji':
      return q(r.pick(REACTIONS));
    case 'at':
      return `{"x":${r.int(BOARD_WIDTH)},"y":${r.int(BOARD_HEIGHT)}}`;
    case 'id':
      return r.chance(0.3) ? 'null' : String(r.range(1, 1000));
    case 'ids':
      return `[${Array.from({ length: r.int(5) }, () => r.range(1, 1000)).join(',')}]`;
    case 'after':
      return String(r.int(1000));
  }
}

/** The fields of each client message: typed by the protocol's union, so a new type must be added. */
const FIELDS_OF: { readonly [T in ClientJson['t']]: readonly (typeof FIELDS)[number][] } = {
  hello: ['t', 'v', 'room', 'name', 'resume'],
  name: ['t', 'name'],
  state: ['t', 'state'],
  pointer: ['t', 'kind', 'pressed'],
  view: ['t', 'view'],
  chat: ['t', 'text'],
  react: ['t', 'emoji'],
  ping: ['t', 'at'],
  bye: ['t'],
  follow: ['t', 'id'],
  who: ['t', 'ids', 'after'],
};

/** A hostile value for one field: wrong type, hostile text, numbers at and past every limit. */
function hostileField(r: Rng, field: (typeof FIELDS)[number], markers: string[]): string {
  if (r.chance(0.35)) return hostileValue(r);
  switch (field) {
    case 't':
      return q(
        r.pick([
          ...TYPES,
          'Hello',
          'hello ',
          'hello\u0000',
          '',
          ...PIECES.proto,
          hostileText(r, 20),
        ]),
      );
    case 'v':
      return r.pick([
        '0',
        '2',
        '-0',
        '1.0',
        '1.5',
        '"1"',
        '1e308',
        '-1',
        '1e-400',
        '[1]',
        '99999999999999999999',
      ]);
    case 'room':
      return q(
        r.pick([
          '',
          'a'.repeat(LIMITS.roomMaxLength),
          'a'.repeat(LIMITS.roomMaxLength + 1),
          'fuzz\n',
          'fu zz',
          'ｆｕｚｚ',
          '../fuzz',
          '__proto__',
          'constructor',
          hostileText(r, 64),
        ]),
      );
    case 'name':
      return q(textWithMarker(r, LIMITS.nameMaxLength, markers));
    case 'text':
      return q(textWithMarker(r, LIMITS.chatMaxLength, markers));
    case 'resume':
      return q(
        r.pick([
          token(r).slice(1),
          `${token(r)}x`,
          `${token(r).slice(0, 21)}=`,
          '',
          hostileText(r, 22),
        ]),
      );
    case 'state':
      return q(r.pick(['offline', 'ACTIVE', 'active ', '', 'away\u200b']));
    case 'kind':
      return q(r.pick(['Mouse', 'finger', '', 'pen\u0000', 'mouse\u200d']));
    case 'pressed':
      return r.pick(['0', '1', '"true"', 'null', '[]']);
    case 'view': {
      const n = () => r.pick(RAW_NUMBERS);
      return r.chance(0.5)
        ? `{"x":${n()},"y":${n()},"w":${n()},"h":${n()}}`
        : `{"x":${BOARD_WIDTH},"y":${BOARD_HEIGHT},"w":${r.int(1)},"h":${r.int(1)}}`;
    }
    case 'emoji':
      return q(r.pick(['👍🏽', '❤', '🎉🎉', '😂\u200d', '💩', '', hostileText(r, 4)]));
    case 'at':
      return r.chance(0.5)
        ? `{"x":${r.pick(RAW_NUMBERS)},"y":${r.pick(RAW_NUMBERS)}}`
        : `{"x":${BOARD_WIDTH + 1},"y":0}`;
    case 'id':
    case 'after':
      return r.pick([...RAW_NUMBERS, '"1"', '[]', '{}']);
    case 'ids':
      return r.pick([
        `[${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}]`,
        `[${r.pick(RAW_NUMBERS)}]`,
        '["1"]',
        nested('[', r.range(50, 500), '1'),
        '{}',
      ]);
  }
}

/** A JSON message of type `t` with one field (or a few) made hostile, or extra hostile keys. */
function fieldMessage(r: Rng, t: string, markers: string[]): FuzzFrame {
  const fields: readonly (typeof FIELDS)[number][] = FIELDS_OF[t as ClientJson['t']] ?? ['t'];
  const broken = new Set<string>();
  const howMany = r.chance(0.8) ? 1 : r.range(2, 3);
  for (let i = 0; i < howMany; i++) broken.add(r.pick(r.chance(0.2) ? FIELDS : fields));
  const entries: [string, string][] = [];
  for (const f of fields) {
    if (broken.has(f) && r.chance(0.15)) continue; // field missing
    entries.push([f, broken.has(f) ? hostileField(r, f, markers) : validField(r, f, t, markers)]);
  }
  for (const f of broken) {
    if (!fields.includes(f as (typeof FIELDS)[number])) {
      entries.push([f, hostileField(r, f as (typeof FIELDS)[number], markers)]);
    }
  }
  if (r.chance(0.2)) {
    entries.splice(r.int(entries.length), 0, [
      r.pick(PIECES.proto),
      r.chance(0.5) ? hostileValue(r) : '{"t":"hello","polluted":true}',
    ]);
  }
  if (r.chance(0.1)) entries.push(['t', q(r.pick(TYPES))]); // duplicate key: the last one wins
  return { kind: `field:${t}.${[...broken].join('+')}`, data: objectText(entries), markers };
}

/** Valid JSON that is not a message object at all, or whose `t` is not a string. */
function shapeFrame(r: Rng): FuzzFrame {
  const options = [
    () => hostileValue(r),
    () => '[]',
    () => '[{"t":"state","state":"idle"}]',
    () => q('{"t":"bye"}'),
    () => '{}',
    () => `{"t":${hostileValue(r)}}`,
    () => `{"t":${nested('[', r.range(100, 1500), '"hello"')}}`,
    () => '{"__proto__":{"t":"hello"},"v":1,"room":"fuzz","name":"x"}',
    () => '{"constructor":{"prototype":{"t":"bye"}},"t":"state","state":"idle"}',
    () => '{"t":"__proto__"}',
    () => '{"t":"toString"}',
    () => '{"t":"hasOwnProperty"}',
    () => nested('{"a":', r.range(100, 900), '1'),
    () => `{"t":"view","view":${nested('{"a":', r.range(50, 500), '1')}}`,
  ];
  return { kind: `shape:${options.length}`, data: r.pick(options)(), markers: [] };
}

/** Compact cursor frames that are right but for one thing. */
function compactFrame(r: Rng): FuzzFrame {
  const x = r.int(BOARD_WIDTH);
  const y = r.int(BOARD_HEIGHT);
  const text: (() => string)[] = [
    () => textMove(BOARD_WIDTH + 1, y),
    () => textMove(x, BOARD_HEIGHT + 1),
    () => textMove(0xffff, y),
    () => textMove(x, 0xffff),
    () => textMove(0x3ffff, 0x3ffff),
    () => textMove(x, y).slice(0, 6),
    () => `${textMove(x, y)}A`,
    () => `c${'=+/.~'[r.int(4)]}${textMove(x, y).slice(2)}`,
    () => `c${'😀'}${textMove(x, y).slice(3)}`,
    () => `C${textMove(x, y).slice(1)}AAAAAA`,
    () => 'c',
    () => `c${'\u0000'.repeat(6)}`,
    () => `c${'é'.repeat(6)}`,
    () => ` ${textMove(x, y)}`,
  ];
  const binary: (() => Uint8Array)[] = [
    () => binaryMove(x, y, 0x01, 4),
    () => binaryMove(x, y, 0x01, 6),
    () => binaryMove(BOARD_WIDTH + 1, y),
    () => binaryMove(x, BOARD_HEIGHT + 1),
    () => binaryMove(0xffff, y),
    () => binaryMove(x, y, 0x02, 9),
    () => binaryMove(x, y, 0x00),
    () => binaryMove(x, y, 0xff),
    () => new Uint8Array(0),
    () => new Uint8Array(r.range(1, 4096)).map(() => r.int(255)),
  ];
  if (r.chance(0.5)) return { kind: 'compact:text', data: r.pick(text)(), markers: [] };
  return { kind: 'compact:binary', data: r.pick(binary)(), markers: [] };
}

/** Bytes where text is expected: invalid UTF-8, CESU-8 surrogates, overlong forms, NUL. */
function binaryOnText(r: Rng): FuzzFrame {
  const samples = [
    [0x7b, 0xc3, 0x28, 0x7d],
    [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8 (CESU)
    [0xc0, 0xaf], // overlong '/'
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0xff, 0xfe, 0x7b, 0x00],
    [0xf0, 0x9f, 0x98], // a 4-byte emoji cut short
  ];
  const bytes = r.chance(0.7)
    ? Uint8Array.from([
        ...Buffer.from('{"t":"name","name":"'),
        ...r.pick(samples),
        ...Buffer.from('"}'),
      ])
    : new Uint8Array(r.range(1, 300)).map(() => r.int(255));
  // Random bytes are sometimes valid UTF-8 by chance; only call it broken if it is.
  let valid = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    valid = false;
  }
  return { kind: 'binary-on-text', data: bytes, textBytes: true, wireLevel: !valid, markers: [] };
}

/** Over the message limit, by bytes and by characters (multi-byte text is the interesting one). */
function bigFrame(r: Rng, maxBytes: number): FuzzFrame {
  const m = newMarker();
  const fill = r.pick(['x', '😀', '漢', 'e\u0301']);
  const unit = Buffer.byteLength(fill);
  const budget = r.pick([maxBytes - 40, maxBytes - 30, maxBytes + 1, maxBytes * 2, maxBytes * 16]);
  const name = m + fill.repeat(Math.max(1, Math.floor(budget / unit)));
  const data = r.chance(0.5) ? `{"t":"chat","text":${q(name)}}` : `{"t":"name","name":${q(name)}}`;
  return {
    kind: `big:${Buffer.byteLength(data) > maxBytes ? 'over' : 'under'}`,
    data,
    markers: [m],
  };
}

/** A valid message (so sessions live long enough to reach the interesting paths). */
export function validFrame(r: Rng, binaryOk: boolean, markers: string[] = []): FuzzFrame {
  const x = r.int(BOARD_WIDTH);
  const y = r.int(BOARD_HEIGHT);
  switch (r.int(7)) {
    case 0:
      return binaryOk
        ? { kind: 'valid:cursor-bin', data: binaryMove(x, y), markers }
        : { kind: 'valid:cursor', data: textMove(x, y), markers };
    case 1:
    case 2:
      return { kind: 'valid:cursor', data: textMove(x, y), markers };
    case 3:
      return {
        kind: 'valid:state',
        data: `{"t":"state","state":${q(r.pick(['active', 'idle', 'away']))}}`,
        markers,
      };
    case 4:
      return {
        kind: 'valid:pointer',
        data: `{"t":"pointer","kind":${q(r.pick(['mouse', 'touch', 'pen']))},"pressed":${r.chance(0.5)}}`,
        markers,
      };
    case 5:
      return {
        kind: 'valid:view',
        data: `{"t":"view","view":{"x":0,"y":0,"w":${x},"h":${y}}}`,
        markers,
      };
    case 6: {
      const m = newMarker();
      return { kind: 'valid:name', data: `{"t":"name","name":${q(m)}}`, markers: [...markers, m] };
    }
    default: {
      const m = newMarker();
      return { kind: 'valid:chat', data: `{"t":"chat","text":${q(m)}}`, markers: [...markers, m] };
    }
  }
}

export function helloFrame(_r: Rng, room = 'fuzz'): FuzzFrame {
  const m = newMarker();
  return {
    kind: 'valid:hello',
    data: `{"t":"hello","v":${PROTOCOL_VERSION},"room":${q(room)},"name":${q(m)}}`,
    markers: [m],
  };
}

export interface ScriptOptions {
  /** Binary frames are allowed on this path (raw /ws); elsewhere binary is hostile. */
  binaryOk: boolean;
  /** Some endpoints have no binary frames at all (SockJS HTTP transports, session websocket). */
  canSendBytes: boolean;
  maxBytes: number;
  /** Share of hostile frames. */
  hostile: number;
  length: number;
  room?: string;
}

/** One hostile frame of any kind. */
export function hostileFrame(r: Rng, o: ScriptOptions): FuzzFrame {
  const markers: string[] = [];
  const roll = r.int(99);
  if (roll < 40) return fieldMessage(r, r.pick(Object.keys(FIELDS_OF)), markers);
  if (roll < 55) return shapeFrame(r);
  if (roll < 72) {
    const f = compactFrame(r);
    if (typeof f.data !== 'string' && !o.canSendBytes)
      return { ...f, data: Buffer.from(f.data).toString('latin1') };
    return f;
  }
  if (roll < 80 && o.canSendBytes) return binaryOnText(r);
  if (roll < 86) return bigFrame(r, o.maxBytes);
  if (roll < 93) return { ...helloFrame(r, o.room), kind: 'session:hello-again' };
  if (roll < 96) return { kind: 'session:bye', data: '{"t":"bye"}', markers };
  return { kind: 'text:garbage', data: `{${hostileText(r, 40)},,`, markers };
}

/**
 * A connection's whole script: usually hello first (sometimes a hostile hello, sometimes
 * something else first), then valid frames with hostile ones mixed in.
 */
export function script(r: Rng, o: ScriptOptions): FuzzFrame[] {
  const frames: FuzzFrame[] = [];
  const first = r.int(9);
  if (first < 7) frames.push(helloFrame(r, o.room));
  else if (first < 9) frames.push({ ...fieldMessage(r, 'hello', []), kind: 'hello:hostile' });
  else frames.push(hostileFrame(r, o));
  for (let i = 1; i < o.length; i++) {
    frames.push(r.chance(o.hostile) ? hostileFrame(r, o) : validFrame(r, o.binaryOk));
  }
  return frames;
}

// ---- SockJS framing: what goes inside one websocket message or one xhr_send body ------------

export interface SockjsPayload {
  kind: string;
  /** The text as sent (a JSON array of strings normally). */
  text: string;
  /** How many messages sockjs will hand to the server (every one counts as a frame). */
  count: number;
  /** Whether a message that is not a string reaches the server (the dangerous case). */
  nonString: boolean;
}

/** Wraps messages as sockjs does ([...] of strings), or as an attacker would. */
export function sockjsPayload(r: Rng, messages: string[]): SockjsPayload {
  const roll = r.int(99);
  const strings = messages.map(q);
  if (roll < 70 || messages.length === 0) {
    return {
      kind: 'sockjs:array',
      text: `[${strings.join(',')}]`,
      count: messages.length,
      nonString: false,
    };
  }
  if (roll < 76 && messages.length === 1) {
    return { kind: 'sockjs:string', text: strings[0] ?? '""', count: 1, nonString: false };
  }
  const odd = r.pick([
    '5',
    'null',
    '{}',
    '[]',
    '""',
    'true',
    '-0',
    '1e400',
    '{"t":"hello"}',
    '[1,2]',
    nested('[', r.range(2, 2000), '"x"'),
    `[${q('x'.repeat(r.int(5)))}]`,
    hostileValue(r),
  ]);
  const shaped = r.pick([
    `[${odd}]`,
    `[${[...strings, odd].join(',')}]`,
    `[${[odd, ...strings].join(',')}]`,
    odd,
    `[${strings.join(',')}`, // broken JSON
    `[${strings.join(',')}]]`,
    `${q(messages[0] ?? '')}x`,
    `[${q(`${messages[0] ?? ''}`)},]`,
  ]);
  return { kind: 'sockjs:odd', text: shaped, count: messages.length + 1, nonString: true };
}

// ---- the local oracle: what the server must refuse --------------------------------------------

export type SessionState = 'new' | 'joined' | 'ended';

/**
 * Follows a connection as the server should: which frames it must refuse. Used only to say which
 * markers must never reach another user; lenient wherever the protocol leaves room.
 */
export class Oracle {
  state: SessionState = 'new';
  /** Marker → why it must not be seen (which frame, after what). */
  readonly forbidden = new Map<string, string>();
  readonly allowed: string[] = [];
  private fed = 0;
  private endedBy = '';

  constructor(
    private readonly maxBytes: number,
    private readonly label = '',
  ) {}

  /** Feed one message as the server would receive it (string or bytes; anything else = refused). */
  feed(message: unknown, markers: readonly string[]): void {
    this.fed++;
    if (this.state === 'ended') {
      for (const m of markers)
        this.forbidden.set(m, `${this.label} frame ${this.fed}, after ${this.endedBy}`);
      return;
    }
    const verdict = this.judge(message);
    if (verdict === 'refuse') {
      this.state = 'ended';
      const shown =
        typeof message === 'string' || message instanceof Uint8Array ? message : describe(message);
      this.endedBy = `refused frame ${this.fed} ${show(shown, 100)}`;
      for (const m of markers) this.forbidden.set(m, `${this.label} ${this.endedBy}`);
    } else if (verdict === 'bye') {
      this.state = 'ended';
      this.endedBy = `bye (frame ${this.fed})`;
    } else if (verdict === 'hello') {
      this.state = 'joined';
      this.allowed.push(...markers);
    } else {
      this.allowed.push(...markers);
    }
  }

  /** Messages that never reached the server (their body was refused whole): not to be seen. */
  lost(markers: readonly string[]): void {
    for (const m of markers) this.forbidden.set(m, `${this.label} never reached the server`);
  }

  /** The connection ended for another reason (the server closed it, we closed it). */
  end(why = 'end of connection'): void {
    if (this.state !== 'ended') this.endedBy = `${why} (after frame ${this.fed})`;
    this.state = 'ended';
  }

  private judge(message: unknown): 'refuse' | 'bye' | 'hello' | 'ok' {
    let frame: string | Uint8Array<ArrayBuffer>;
    if (typeof message === 'string') {
      if (Buffer.byteLength(message) > this.maxBytes) return 'refuse';
      frame = message;
    } else if (message instanceof Uint8Array) {
      if (message.length > this.maxBytes) return 'refuse';
      frame = new Uint8Array(message);
    } else {
      return 'refuse';
    }
    let decoded: ReturnType<typeof decodeClientFrame>;
    try {
      decoded = decodeClientFrame(frame);
    } catch {
      return 'refuse';
    }
    if (!decoded.ok) return 'refuse';
    const msg = decoded.msg;
    if (this.state === 'new') {
      if (msg.t !== 'hello') return 'refuse';
      if (msg.v < MIN_PROTOCOL_VERSION || msg.v > PROTOCOL_VERSION) return 'refuse';
      return 'hello';
    }
    if (msg.t === 'hello') return 'refuse';
    if (msg.t === 'bye') return 'bye';
    return 'ok';
  }
}

/** What JSON.parse makes of a SockJS payload's messages (sockjs itself does this). */
export function sockjsMessages(text: string): unknown[] | 'broken' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'broken';
  }
  if (text.startsWith('[') && Array.isArray(parsed)) return parsed;
  return [parsed];
}

/** Short printable form of a frame for a reproducer. */
export function show(data: string | Uint8Array, max = 160): string {
  if (typeof data === 'string') {
    const s = JSON.stringify(
      data.length > max ? `${data.slice(0, max)}…(${data.length} chars)` : data,
    );
    return s;
  }
  const hex = Buffer.from(data.subarray(0, max / 2)).toString('hex');
  return `hex:${hex}${data.length > max / 2 ? `…(${data.length} bytes)` : ''}`;
}

/** Any JSON value as text, including objects String() cannot convert (no prototype, no toString). */
function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
