import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChatTextSchema,
  codePointLength,
  disambiguate,
  idSuffix,
  LABEL_SEPARATOR,
  LIMITS,
  type NamedUser,
  NameSchema,
  nameSkeleton,
  normalizeName,
  replaceUnsafe,
  unsafeReason,
} from '../src/index.ts';

const parseName = (s: string) => NameSchema.safeParse(s);
const refusal = (s: string) => parseName(s).error?.issues[0]?.message;
const hex = (s: string) =>
  Array.from(s, (c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`).join(' ');

describe('normalizeName', () => {
  it.each([
    ['fullwidth letters', 'Ａｎａ', 'Ana'],
    ['a ligature', 'ﬁona', 'fiona'],
    ['mathematical bold', '𝐀𝐧𝐚', 'Ana'],
    ['a no-break space', 'Ana\u00a0Lu', 'Ana Lu'],
    ['an ideographic space', 'Ana\u3000Lu', 'Ana Lu'],
    ['a narrow no-break space and an em space', 'Ana\u202f\u2003Lu', 'Ana Lu'],
    ['tabs and newlines', '\tAna\r\n\n Lu\t', 'Ana Lu'],
    ['a run of spaces', 'Ana      Lu', 'Ana Lu'],
    ['spaces at both ends', '   Ana   ', 'Ana'],
    ['a decomposed accent (composed again)', 'Jose\u0301', 'José'],
    ['nothing but spaces', ' \u3000\u00a0\t ', ''],
  ])('%s', (_what, input, output) => {
    expect(normalizeName(input)).toBe(output);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const once = normalizeName(s);
        expect(normalizeName(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('is what the schemas keep', () => {
    expect(parseName('  Ａｎａ\u3000\u3000Lu ').data).toBe('Ana Lu');
    expect(ChatTextSchema.safeParse(' hi\u00a0\u00a0there\n').data).toBe('hi there');
  });
});

describe('NameSchema: refused characters', () => {
  const refused: [string, string, string][] = [
    // control characters (tab and newline are whitespace and become spaces instead)
    ['BEL', 'a\u0007b', 'control'],
    ['ESC', 'a\u001b[2Jb', 'control'],
    ['DEL', 'a\u007fb', 'control'],
    ['NEL (C1)', 'a\u0085b', 'control'],
    ['NUL', 'a\u0000b', 'control'],
    // format characters (Cf)
    ['zero-width space', 'a\u200bb', 'invisible'],
    ['zero-width non-joiner', 'a\u200cb', 'invisible'],
    ['zero-width joiner between letters', 'a\u200db', 'invisible'],
    ['word joiner', 'a\u2060b', 'invisible'],
    ['invisible times', 'a\u2062b', 'invisible'],
    ['left-to-right mark', 'a\u200eb', 'invisible'],
    ['right-to-left mark', 'a\u200fb', 'invisible'],
    ['Arabic letter mark', 'a\u061cb', 'invisible'],
    ['left-to-right embedding', 'a\u202ab', 'invisible'],
    ['right-to-left override', 'a\u202eb', 'invisible'],
    ['pop directional formatting', 'a\u202cb', 'invisible'],
    ['left-to-right isolate', 'a\u2066b', 'invisible'],
    ['pop directional isolate', 'a\u2069b', 'invisible'],
    ['soft hyphen', 'a\u00adb', 'invisible'],
    ['byte order mark', '\ufeffAna', 'invisible'],
    ['Mongolian vowel separator', 'a\u180eb', 'invisible'],
    ['language tag', 'a\u{e0001}b', 'invisible'],
    ['tag letter', 'a\u{e0041}b', 'invisible'],
    ['cancel tag', 'a\u{e007f}b', 'invisible'],
    ['interlinear annotation anchor', 'a\ufff9b', 'invisible'],
    // invisible fillers
    ['Hangul choseong filler', 'a\u115fb', 'invisible'],
    ['Hangul jungseong filler', 'a\u1160b', 'invisible'],
    ['Hangul filler', '\u3164', 'invisible'],
    ['halfwidth Hangul filler', 'a\uffa0b', 'invisible'],
    ['braille blank', '\u2800', 'invisible'],
    ['braille blank inside a name', 'Ana\u2800Lu', 'invisible'],
    ['combining grapheme joiner', 'a\u034fb', 'invisible'],
    ['Khmer vowel inherent aq', 'a\u17b4b', 'invisible'],
    ['Khmer vowel inherent aa', 'a\u17b5b', 'invisible'],
    ['Mongolian free variation selector 1', 'a\u180bb', 'invisible'],
    ['Mongolian free variation selector 4', 'a\u180fb', 'invisible'],
    ['variation selector 1', 'a\ufe00b', 'invisible'],
    ['text variation selector after an emoji', '❤\ufe0e', 'invisible'],
    ['emoji variation selector after a letter', 'a\ufe0f', 'invisible'],
    ['emoji variation selector on its own', '\ufe0f', 'invisible'],
    ['variation selector 17', 'a\u{e0100}b', 'invisible'],
    // ZWJ outside an emoji sequence
    ['ZWJ after an emoji, before a letter', '👩\u200da', 'invisible'],
    ['ZWJ after a letter, before an emoji', 'a\u200d💻', 'invisible'],
    ['ZWJ at the end', '👩\u200d', 'invisible'],
    ['ZWJ at the start', '\u200d👩', 'invisible'],
    ['two ZWJs in a row', '👩\u200d\u200d💻', 'invisible'],
    [
      'an England flag (tag sequence)',
      '🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}',
      'invisible',
    ],
    // line and paragraph separators
    ['line separator', 'a\u2028b', 'separators'],
    ['paragraph separator', 'a\u2029b', 'separators'],
    // private use, unassigned, noncharacters, lone surrogates
    ['private use (BMP)', 'a\ue000b', 'unassigned'],
    ['private use (last BMP)', 'a\uf8ffb', 'unassigned'],
    ['private use (plane 15)', 'a\u{f0000}b', 'unassigned'],
    ['private use (plane 16)', 'a\u{10fffd}b', 'unassigned'],
    ['unassigned U+0378', 'a\u0378b', 'unassigned'],
    ['unassigned in plane 14', 'a\u{e0080}b', 'unassigned'],
    ['noncharacter U+FFFF', 'a\uffffb', 'unassigned'],
    ['noncharacter U+FDD0', 'a\ufdd0b', 'unassigned'],
    ['lone high surrogate', 'a\ud800b', 'unassigned'],
    ['lone low surrogate', 'a\udc00b', 'unassigned'],
    // Zalgo
    ['3 combining marks on one letter', 'x\u0301\u0302\u0303', 'combining marks'],
    ['a precomposed letter plus 2 marks', 'é\u0302\u0303', 'combining marks'],
    ['Zalgo text', 'Z\u0351\u036b\u0343\u036a\u0302a\u0352\u0346lgo', 'combining marks'],
    ['5 Thai marks on one letter', 'ก\u0e34\u0e48\u0e35\u0e49\u0e4a', 'combining marks'],
    ['a repeated mark', 'x\u0301\u0301', 'repeats a combining mark'],
    ['a repeated Thai tone mark', 'ก\u0e49\u0e49\u0e49\u0e49', 'repeats a combining mark'],
    ['a mark with no base', '\u0301Ana', 'starts with a combining mark'],
  ];

  it.each(refused)('refuses %s', (_what, input, why) => {
    const message = refusal(input);
    expect(message, hex(input)).toBeDefined();
    expect(message).toContain(why);
  });

  it('refuses every format character and every default-ignorable one, except emoji ZWJ', () => {
    let checked = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!/[\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(ch)) continue;
      checked++;
      expect(unsafeReason(`a${ch}b`), hex(ch)).not.toBeNull();
    }
    expect(checked).toBeGreaterThan(4000);
  });

  it('can let through what only a newer Unicode may assign (for text the server checked)', () => {
    const options = { allowUnassigned: true };
    expect(unsafeReason('a\u0378b', options)).toBeNull();
    expect(unsafeReason('a\u{50000}b', options)).toBeNull();
    expect(unsafeReason('a\u{e0080}b', options)).not.toBeNull(); // default-ignorable block
    for (const still of [
      'a\uffffb',
      'a\ufdd0b',
      'a\u{10ffff}b',
      'a\ue000b',
      'a\ud800b',
      'a\u200bb',
    ]) {
      expect(unsafeReason(still, options), hex(still)).not.toBeNull();
    }
  });

  it('refuses a name that is empty after normalisation', () => {
    for (const empty of ['', ' ', '   ', '\u3000', '\u00a0\t\n', '\u2003\u2003']) {
      expect(refusal(empty), hex(empty)).toBe('name is empty');
    }
  });

  it('closes with the schema message, short and ASCII', () => {
    const message = refusal('a\u200bb') ?? '';
    expect(message).toBe('name contains invisible or format characters');
    expect(/^[\x20-\x7e]*$/.test(message)).toBe(true);
  });
});

describe('NameSchema: allowed names', () => {
  it.each([
    ['a developer emoji', '👩\u200d💻 Ana'],
    ['a rainbow flag (emoji, VS16, ZWJ, emoji)', '🏳\ufe0f\u200d🌈'],
    ['a skin tone in a ZWJ sequence', '👩🏽\u200d💻'],
    ['a heart on fire', '❤\ufe0f\u200d🔥'],
    ['a runner with a gender sign', '🏃\u200d♂\ufe0f'],
    ['a family', '👨\u200d👩\u200d👧\u200d👦'],
    ['a red heart (VS16)', '❤\ufe0f'],
    ['a keycap', '1\ufe0f\u20e3 Ana'],
    ['a flag (regional indicators)', '🇵🇹 Ana'],
    ['accents', 'José Zoë Ångström'],
    ['Vietnamese (2 marks on one letter)', 'Nguyễn Thị Ánh'],
    ['pinyin (u + diaeresis + caron)', 'Lǚ'],
    ['Greek', 'Ψυχή'],
    ['Cyrillic', 'Владимир'],
    ['Chinese', '李小龍'],
    ['Japanese', 'さくら'],
    ['Korean', '김민준'],
    ['Arabic', 'محمد'],
    ['vocalised Arabic (shadda + fatha)', 'مُحَمَّد'],
    ['Hebrew with points', 'שָׁלוֹם'],
    ['Hindi', 'राम'],
    ['Tamil', 'தமிழ்'],
    ['Burmese (4 marks on one letter)', 'မြို့'],
    ['Tibetan (a stack of 3)', 'བསྒྲུབས'],
    ['Thai (vowel + tone)', 'ที่นี่'],
    ['punctuation and digits', "O'Brien-2 (x_y) #1"],
    ['a Catalan middle dot', 'Gal·la'],
  ])('accepts %s', (_what, name) => {
    const parsed = parseName(name);
    expect(parsed.error?.issues[0]?.message).toBeUndefined();
    expect(parsed.data).toBe(normalizeName(name));
  });
});

describe('length limits count code points after normalisation', () => {
  const max = LIMITS.nameMaxLength;

  it('takes 32 letters, not 33', () => {
    expect(parseName('n'.repeat(max)).success).toBe(true);
    expect(refusal('n'.repeat(max + 1))).toBe(`name is longer than ${max} characters`);
  });

  it('takes 32 emoji (64 UTF-16 units), not 33', () => {
    expect(parseName('😀'.repeat(max)).success).toBe(true);
    expect(parseName('😀'.repeat(max + 1)).success).toBe(false);
  });

  it('counts what NFKC expands to', () => {
    // U+FDFA is one UTF-16 unit that NFKC turns into 18 code points.
    expect(codePointLength(normalizeName('\ufdfa'))).toBe(18);
    expect(parseName('\ufdfa').success).toBe(true);
    expect(parseName('\ufdfa\ufdfa').success).toBe(false);
    // "㍿" becomes "株式会社".
    expect(parseName('㍿'.repeat(8)).success).toBe(true);
    expect(parseName('㍿'.repeat(9)).success).toBe(false);
  });

  it('counts after whitespace is collapsed', () => {
    expect(parseName(`a${' '.repeat(200)}b`).data).toBe('a b');
  });

  it('holds for chat (80)', () => {
    expect(ChatTextSchema.safeParse('c'.repeat(LIMITS.chatMaxLength)).success).toBe(true);
    expect(ChatTextSchema.safeParse('c'.repeat(LIMITS.chatMaxLength + 1)).success).toBe(false);
    expect(ChatTextSchema.safeParse('😀'.repeat(LIMITS.chatMaxLength)).success).toBe(true);
  });
});

describe('ChatTextSchema', () => {
  it('uses the same character rules as names', () => {
    for (const bad of ['a\u200bb', 'a\u202eb', 'a\u2028b', 'x\u0301\u0302\u0303', 'a\ue000']) {
      expect(ChatTextSchema.safeParse(bad).success, hex(bad)).toBe(false);
    }
    expect(ChatTextSchema.safeParse('hi 👩\u200d💻').success).toBe(true);
  });

  it('allows empty text (it clears the bubble)', () => {
    expect(ChatTextSchema.safeParse('').data).toBe('');
    expect(ChatTextSchema.safeParse(' \u3000 ').data).toBe('');
  });
});

describe('replaceUnsafe (for input boxes)', () => {
  it.each([
    ['a bidi override', 'evil\u202eeman', 'evil eman'],
    ['a zero-width space', 'a\u200bb', 'a b'],
    ['a pasted tab and newline', 'hi\tthere\n', 'hi there'],
    ['a braille blank at the end', 'Ana\u2800', 'Ana'],
    ['a line separator', 'a\u2028b', 'a b'],
    ['a stray ZWJ', 'Ana\u200d', 'Ana'],
    ['a tower of marks', 'x\u0301\u0302\u0303\u0304', 'x\u0301\u0302'],
    ['a leading mark', '\u0301Ana', 'Ana'],
    ['fullwidth text', 'Ａｎａ', 'Ana'],
  ])('cleans %s', (_what, input, output) => {
    expect(replaceUnsafe(input)).toBe(output);
  });

  it('can drop instead of replacing', () => {
    expect(replaceUnsafe('a\u200bb\u00adc', '')).toBe('abc');
  });

  it('keeps emoji sequences and text that already passes', () => {
    for (const ok of ['👩\u200d💻 Ana', '🏳\ufe0f\u200d🌈', 'Nguyễn', 'မြို့']) {
      expect(replaceUnsafe(ok)).toBe(ok);
    }
  });

  it('replaces a variation selector that replacing its base left orphaned (found by the property below)', () => {
    // U+1FC00 is unassigned (refused); the VS16 after it was allowed only while it followed it.
    for (const by of [' ', '']) {
      const out = replaceUnsafe('\u{1fc00}\ufe0f', by);
      expect(unsafeReason(out), hex(out)).toBeNull();
      expect(replaceUnsafe(out, by)).toBe(out);
    }
  });

  it('always returns normalised text that passes the character rules', () => {
    const marks = fc.constantFrom('\u0301', '\u0302', '\u0e49', '\u200d', '\ufe0f', '👩', ' ');
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc
        .array(fc.oneof(marks, fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 20 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(' ', ''), (s, by) => {
        const out = replaceUnsafe(s, by);
        expect(unsafeReason(out), hex(out)).toBeNull();
        expect(normalizeName(out)).toBe(out);
        expect(replaceUnsafe(out, by)).toBe(out);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('nameSkeleton', () => {
  it.each([
    ['Latin and Cyrillic A', 'Ana', '\u0410na'],
    ['all Cyrillic lookalikes', 'Ana', '\u0410n\u0430'],
    ['1 for l', 'paypal', 'paypa1'],
    ['case', 'ALICE', 'alice'],
    ['capital I for l', 'Ilya', 'llya'],
    ['0 for o', 'Bob', 'B0b'],
    ['rn for m', 'modern', 'rnodern'],
    ['vv for w', 'Wendy', 'VVendy'],
    ['fullwidth', 'Ana', 'Ａｎａ'],
    ['mathematical letters', 'Ana', '𝐀𝐧𝐚'],
    ['diacritics', 'Jose', 'José'],
    ['stacked diacritics', 'Nguyen', 'Nguyễn'],
    ['sharp s', 'Straße', 'STRASSE'],
    ['Greek capital eta', 'Helen', '\u0397elen'],
    ['Greek omicron and alpha', 'oa', '\u03bf\u03b1'],
    ['Cyrillic capitals', 'BOB', '\u0412\u041e\u0412'],
    ['Cyrillic words in either case', '\u0412\u041e\u0412\u0410', '\u0432\u043e\u0432\u0430'],
    ['Cyrillic es and er', 'pc', '\u0440\u0441'],
    ['dotless i', 'Ali', 'Al\u0131'],
    ['stroked o', 'Bjorn', 'Bjørn'],
    ['spacing', 'Ana Lu', 'AnaLu'],
    ['a ligature', 'fiona', 'ﬁona'],
  ])('%s: %s ~ %s', (_what, a, b) => {
    expect(nameSkeleton(a)).toBe(nameSkeleton(b));
  });

  it.each([
    ['Ana', 'Bob'],
    ['Ana', 'Anna'],
    ['Ana', 'Ava'],
    ['Marie', 'Maria'],
    ['Владимир', 'Vladimir'],
    ['👩\u200d💻 Ana', '👨\u200d💻 Ana'],
  ])('tells %s from %s', (a, b) => {
    expect(nameSkeleton(a)).not.toBe(nameSkeleton(b));
  });
});

describe('disambiguate', () => {
  it('leaves different-looking names alone', () => {
    const labels = disambiguate([
      { id: 1, name: 'Ana' },
      { id: 2, name: 'Bob' },
      { id: 3, name: 'Anna' },
      { id: 4, name: 'Владимир' },
    ]);
    expect([...labels.entries()]).toEqual([
      [1, 'Ana'],
      [2, 'Bob'],
      [3, 'Anna'],
      [4, 'Владимир'],
    ]);
  });

  it('suffixes every user in a lookalike group, from their own id', () => {
    const users = [
      { id: 10, name: 'Ana' },
      { id: 20, name: '\u0410na' },
      { id: 30, name: 'Bob' },
      { id: 40, name: 'ANA' },
    ];
    const labels = disambiguate(users);
    expect(labels.get(10)).toBe(`Ana${LABEL_SEPARATOR}${idSuffix(10, 2)}`);
    expect(labels.get(20)).toBe(`\u0410na${LABEL_SEPARATOR}${idSuffix(20, 2)}`);
    expect(labels.get(40)).toBe(`ANA${LABEL_SEPARATOR}${idSuffix(40, 2)}`);
    expect(labels.get(30)).toBe('Bob');
    expect(new Set([10, 20, 40].map((id) => labels.get(id))).size).toBe(3);
  });

  it.each([
    ['paypal', 'paypa1'],
    ['ALICE', 'alice'],
    ['Ana', 'Ana'],
  ])('suffixes %s and %s', (a, b) => {
    const labels = disambiguate([
      { id: 7, name: a },
      { id: 8, name: b },
    ]);
    expect(labels.get(7)).toBe(`${a} ·${idSuffix(7, 2)}`);
    expect(labels.get(8)).toBe(`${b} ·${idSuffix(8, 2)}`);
  });

  it('ignores colour: the same name in two colours is still two lookalikes', () => {
    const labels = disambiguate([
      { id: 1, name: 'Ana', color: '#c62828' },
      { id: 2, name: 'Ana', color: '#1565c0' },
    ]);
    expect(labels.get(1)).not.toBe('Ana');
    expect(labels.get(2)).not.toBe('Ana');
  });

  it('suffixes a name that copies another user’s label', () => {
    const first = disambiguate([
      { id: 1, name: 'Ana' },
      { id: 2, name: 'Ana' },
    ]);
    const copied = first.get(1) ?? '';
    const labels = disambiguate([
      { id: 1, name: 'Ana' },
      { id: 2, name: 'Ana' },
      { id: 3, name: copied },
      { id: 4, name: copied.replace('·', '.') },
    ]);
    expect(labels.get(1)).toBe(copied);
    expect(labels.get(3)).toBe(`${copied} ·${idSuffix(3, 2)}`);
    expect(labels.get(4)).not.toBe(copied.replace('·', '.'));
  });

  it('lengthens the suffixes when two lookalikes’ first digits clash', () => {
    let other = 2;
    while (idSuffix(other, 2) !== idSuffix(1, 2)) other++;
    const labels = disambiguate([
      { id: 1, name: 'Ana' },
      { id: other, name: 'Ana' },
      { id: 5, name: 'Bob' },
      { id: 6, name: 'Bob' },
    ]);
    expect(labels.get(1)).not.toBe(labels.get(other));
    expect(labels.get(1)?.length).toBeGreaterThan('Ana ·xx'.length);
    expect(labels.get(5)).toBe(`Bob ·${idSuffix(5, 2)}`); // other groups keep 2 digits
  });

  it('keeps a user’s suffix when others come and go', () => {
    const a = { id: 111, name: 'Ana' };
    const before = disambiguate([a, { id: 222, name: 'Ana' }]).get(111);
    const after = disambiguate([a, { id: 333, name: 'ana' }, { id: 444, name: 'Bob' }]).get(111);
    expect(after).toBe(before);
  });

  it('uses suffix digits that cannot pass for one another', () => {
    for (let id = 1; id < 5000; id++) expect(idSuffix(id, 7)).toMatch(/^[2-9a-hjkmnpqstuw-z]{7}$/);
  });

  const names = ['Ana', '\u0410na', 'ANA', 'Ana ·', 'Bob', 'B0b', 'paypal', 'paypa1', 'Eve', 'x'];
  const room = fc.uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 0xffffffff }),
      name: fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 6 })),
    }),
    { selector: (u) => u.id, maxLength: 12 },
  );

  it('gives every viewer the same labels whatever the order', () => {
    fc.assert(
      fc.property(room, fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (users, keys) => {
        const shuffled = users
          .map((u, i) => ({ u, k: keys[i] ?? 0 }))
          .sort((x, y) => x.k - y.k)
          .map(({ u }) => u);
        const a = disambiguate(users);
        const b = disambiguate(shuffled);
        for (const u of users) expect(b.get(u.id)).toBe(a.get(u.id));
      }),
      { numRuns: 500 },
    );
  });

  it('builds labels from nothing but each user’s name and id, and no two look alike', () => {
    const withDuplicates = room.map((users): NamedUser[] => [
      ...users,
      ...users.slice(0, 3).map((u) => ({ id: (u.id % 0xfffffff0) + 7, name: u.name })),
    ]);
    fc.assert(
      fc.property(withDuplicates, (users) => {
        const unique = [...new Map(users.map((u) => [u.id, u])).values()];
        const labels = disambiguate(unique);
        expect(labels.size).toBe(unique.length);
        for (const u of unique) {
          const label = labels.get(u.id) ?? '';
          if (label !== u.name) {
            expect(label.startsWith(`${u.name}${LABEL_SEPARATOR}`)).toBe(true);
            const suffix = label.slice(u.name.length + LABEL_SEPARATOR.length);
            expect(idSuffix(u.id, suffix.length)).toBe(suffix);
          }
        }
        const skeletons = [...labels.values()].map(nameSkeleton);
        expect(new Set(skeletons).size).toBe(skeletons.length);
      }),
      { numRuns: 500 },
    );
  });
});
