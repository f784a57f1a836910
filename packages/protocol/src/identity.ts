/**
 * Identity you can trust: the character rules for names and chat text, the confusable "skeleton"
 * of a name, and the display labels that keep two lookalike users apart.
 *
 * Everything here is pure and has no dependencies, so the server, the client and the web page run
 * the very same rules. (Two rules depend on the JavaScript engine's Unicode version: which code
 * points are unassigned, and NFKC of characters newer than the engine. See PROTOCOL.md, "Names".)
 */

// ---- normalisation ---------------------------------------------------------------------------

/** Whitespace that becomes a plain space: tab, LF, VT, FF, CR and every space separator (Zs). */
const WHITESPACE_RUN = /[\t\n\v\f\r\p{Zs}]+/gu;

/**
 * A name or chat text as the server keeps it: NFKC (so fullwidth "Ａｎａ" is "Ana" and "ﬁ" is
 * "fi"), every run of whitespace one space, no space at either end. Idempotent. It refuses
 * nothing: check the result with `unsafeReason`.
 */
export function normalizeText(input: string): string {
  const folded = input.normalize('NFKC').replace(WHITESPACE_RUN, ' ');
  const start = folded.startsWith(' ') ? 1 : 0;
  const end = folded.endsWith(' ') ? folded.length - 1 : folded.length;
  return start < end ? folded.slice(start, end) : '';
}

/** Names and chat text are normalised alike. */
export const normalizeName = normalizeText;

/** Length in code points: what the name and chat limits count (after normalisation). */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

// ---- character rules -------------------------------------------------------------------------

/** C0/C1 controls (a tab or newline is whitespace and was already turned into a space). */
const CONTROL = /\p{Cc}/u;
/** Line and paragraph separators (U+2028, U+2029). */
const SEPARATOR = /[\p{Zl}\p{Zp}]/u;
/** Private use, unassigned (as far as this engine knows), noncharacters, lone surrogates. */
const UNASSIGNED = /[\p{Co}\p{Cn}\p{Cs}]/u;
const CN = /\p{Cn}/u;

/** Unassigned, but not one of the 66 noncharacters: what a newer Unicode version may assign. */
function assignableLater(cp: string): boolean {
  const n = cp.codePointAt(0) ?? 0;
  return CN.test(cp) && !(n >= 0xfdd0 && n <= 0xfdef) && (n & 0xfffe) !== 0xfffe;
}
/(?![\ufdd0-\ufdef]|[\ufffe\uffff\u{1fffe}\u{1ffff}\u{2fffe}\u{2ffff}\u{3fffe}\u{3ffff}\u{4fffe}\u{4ffff}\u{5fffe}\u{5ffff}\u{6fffe}\u{6ffff}\u{7fffe}\u{7ffff}\u{8fffe}\u{8ffff}\u{9fffe}\u{9ffff}\u{afffe}\u{affff}\u{bfffe}\u{bffff}\u{cfffe}\u{cffff}\u{dfffe}\u{dffff}\u{efffe}\u{effff}])\p{Cn}/u;
/**
 * Invisible characters: every format character (Cf: zero-width space/joiner/non-joiner, word
 * joiner, bidi marks, embeddings, overrides and isolates, soft hyphen, BOM, tags, invisible
 * operators...), every default-ignorable code point (Hangul fillers U+115F, U+1160, U+3164,
 * U+FFA0, combining grapheme joiner U+034F, Khmer U+17B4/17B5, Mongolian U+180B-180F, variation
 * selectors), and the braille blank U+2800; the list is spelled out even where a property has it.
 * Exceptions, checked in context: ZWJ and U+FE0F inside emoji (see allowedZwj, allowedVs16).
 */
const INVISIBLE =
  /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\u115f\u1160\u3164\uffa0\u{e0000}-\u{e0fff}]|\u034f|\u17b4|\u17b5|[\u180b-\u180f]|[\ufe00-\ufe0f]/u;
const MARK = /\p{M}/u;
/** Marks that can sit on any letter (U+0300-036F and kin): what "Zalgo" text piles up. */
const GENERIC_MARK = /\p{Script=Inherited}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const EMOJI_MODIFIER = /\p{Emoji_Modifier}/u;
const KEYCAP_BASE = /^[#*0-9]$/;

const ZWJ = '\u200d';
const VS16 = '\ufe0f';
const KEYCAP = '\u20e3';

/** At most this many combining marks of script "Inherited" (U+0300-036F...) on one base. */
export const MAX_GENERIC_MARKS = 2;
/**
 * At most this many marks of any kind on one base: room for Burmese "မြို့" (4) or a Tibetan
 * stack (3), not for a tower.
 */
export const MAX_MARKS = 4;

/** Is the code point before index `i` of `cps` an emoji (optionally + U+FE0F or a skin tone)? */
function emojiBefore(cps: readonly string[], i: number): boolean {
  const prev = cps[i - 1];
  if (prev === undefined) return false;
  if (PICTOGRAPHIC.test(prev)) return true;
  if (prev !== VS16 && !EMOJI_MODIFIER.test(prev)) return false;
  const before = cps[i - 2];
  return before !== undefined && PICTOGRAPHIC.test(before);
}

/** U+FE0F after an emoji, or in a keycap ("1️⃣": digit, U+FE0F, U+20E3). */
function allowedVs16(cps: readonly string[], i: number): boolean {
  const prev = cps[i - 1];
  if (prev === undefined) return false;
  if (PICTOGRAPHIC.test(prev)) return true;
  return KEYCAP_BASE.test(prev) && cps[i + 1] === KEYCAP;
}

/** A ZWJ between two emoji ("👩‍💻", "🏳️‍🌈", "👩🏽‍💻"); anywhere else it is invisible. */
function allowedZwj(cps: readonly string[], i: number): boolean {
  const next = cps[i + 1];
  return next !== undefined && PICTOGRAPHIC.test(next) && emojiBefore(cps, i);
}

/** Why the code point at `i` is refused, or null. */
function charReason(cps: readonly string[], i: number, allowUnassigned = false): string | null {
  const cp = cps[i] ?? '';
  if (CONTROL.test(cp)) return 'contains control characters';
  if (SEPARATOR.test(cp)) return 'contains line or paragraph separators';
  if (UNASSIGNED.test(cp) && !(allowUnassigned && assignableLater(cp))) {
    return 'contains private-use or unassigned characters';
  }
  const invisible =
    cp === ZWJ ? !allowedZwj(cps, i) : cp === VS16 ? !allowedVs16(cps, i) : INVISIBLE.test(cp);
  return invisible ? 'contains invisible or format characters' : null;
}

/**
 * "Zalgo": walks the fully decomposed text (so "ệ" is e + 2 marks, as many as it shows, and a
 * precomposed letter cannot carry 2 more on top) and calls `refuse` for each mark that breaks the
 * rules: one with no base, the same mark twice in a row, more than MAX_GENERIC_MARKS generic or
 * MAX_MARKS marks in all on one base. Returns the text without those marks (decomposed).
 */
function scanMarks(text: string, refuse: (reason: string) => boolean): string {
  let out = '';
  let marks = 0;
  let generic = 0;
  let lastMark = '';
  let first = true;
  for (const cp of text.normalize('NFD')) {
    const atStart = first;
    first = false;
    // U+FE0F belongs to its emoji (checked by charReason), it is not a mark piled on it.
    if (cp === VS16 || !MARK.test(cp)) {
      if (cp !== VS16) {
        marks = generic = 0;
        lastMark = '';
      }
      out += cp;
      continue;
    }
    const isGeneric = GENERIC_MARK.test(cp);
    const reason = atStart
      ? 'starts with a combining mark'
      : cp === lastMark
        ? 'repeats a combining mark'
        : generic + (isGeneric ? 1 : 0) > MAX_GENERIC_MARKS || marks + 1 > MAX_MARKS
          ? 'stacks too many combining marks'
          : null;
    if (reason) {
      if (refuse(reason)) return out;
      continue;
    }
    marks++;
    if (isGeneric) generic++;
    lastMark = cp;
    out += cp;
  }
  return out;
}

export interface UnsafeOptions {
  /**
   * Let through code points this engine thinks unassigned (noncharacters stay refused). For text
   * the server has already checked: a client on an older Unicode version than the server must not
   * refuse, and drop the connection over, a character assigned since.
   */
  allowUnassigned?: boolean;
}

/**
 * Why this (already normalised) text breaks the character rules, as short ASCII fit for a close
 * reason, or null when it is fine. Length and emptiness are the schema's business.
 */
export function unsafeReason(text: string, options: UnsafeOptions = {}): string | null {
  const cps = Array.from(text);
  for (let i = 0; i < cps.length; i++) {
    const reason = charReason(cps, i, options.allowUnassigned);
    if (reason) return reason;
  }
  let found: string | null = null;
  scanMarks(text, (reason) => {
    found = reason;
    return true;
  });
  return found;
}

/** True when normalised `text` passes the character rules. */
export function isSafeText(text: string): boolean {
  return unsafeReason(text) === null;
}

/**
 * For input boxes: `input` normalised, with every refused character replaced by `replacement`
 * (a space by default: a pasted tab or zero-width space splits words rather than joining them)
 * and every refused combining mark dropped. The result passes the character rules (not
 * necessarily the length limit) and is normalised; text that already passes comes back as is.
 * `replacement` must be '' or text that passes itself.
 */
export function replaceUnsafe(input: string, replacement = ' '): string {
  // Until nothing changes: replacing one character can orphan the next (a variation selector
  // after an unassigned emoji-range code point is fine, after a space it is not), and dropping
  // piled-up marks can change what normalisation makes of the rest. Each pass only replaces or
  // removes, so it ends.
  let text = normalizeText(input);
  for (;;) {
    const cps = Array.from(text);
    const replaced = cps.map((cp, i) => (charReason(cps, i) ? replacement : cp)).join('');
    const next = normalizeText(scanMarks(normalizeText(replaced), () => false));
    if (next === text) return text;
    text = next;
  }
}

// ---- confusable skeleton ---------------------------------------------------------------------

/**
 * Lookalikes of Latin letters, by code point, after case folding could no longer tell them apart
 * (so both cases of a Cyrillic or Greek letter are listed when either looks Latin). Hand-written:
 * NFKC already folds fullwidth, mathematical, circled and superscript forms, which are most of
 * Unicode's confusables.txt, and what is left here is the part that matters for short names.
 */
const LOOKALIKE_GROUPS: readonly (readonly [string, string])[] = [
  // Cyrillic, Greek and Latin letters that look like a (lowercase) Latin letter
  ['a', 'АаΑαɑ'],
  ['b', 'ВвЬьΒβ'],
  ['c', 'СсϲϹ'],
  ['d', 'ԁđĐ'],
  ['e', 'ЕеЄєΕε'],
  ['g', 'ɡ'],
  ['h', 'НнҺһΗħĦ'],
  ['i', 'ІіΙιıɩ'],
  ['j', 'Јјȷ'],
  ['k', 'КкΚκ'],
  ['l', 'Ӏӏ'],
  ['m', 'МмΜμ'],
  ['n', 'пΝη'],
  ['o', 'ОоΟοøØ'],
  ['p', 'РрΡρ'],
  ['q', 'Ԛԛ'],
  ['r', 'г'],
  ['s', 'Ѕѕ'],
  ['t', 'ТтΤτ'],
  ['u', 'υ'],
  ['v', 'ν'],
  ['w', 'Ԝԝω'],
  ['x', 'ХхΧχ'],
  ['y', 'УуҮүΥγ'],
  ['z', 'Ζ'],
  ['ss', 'ßẞ'],
  ['σ', 'ς'],
  // Digits and ASCII: 0 and o, and 1, l, I, i and | are all one letter
  ['o', '0'],
  ['l', '1il|'],
  // Dots that pass for the label separator's middle dot
  ['·', '.•∙⋅・‧⸱ꞏ'],
];
const LOOKALIKES: ReadonlyMap<string, string> = new Map(
  LOOKALIKE_GROUPS.flatMap(([to, from]) => Array.from(from, (cp): [string, string] => [cp, to])),
);

/** Two letters that read as one. */
const DIGRAPHS: readonly (readonly [RegExp, string])[] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
];

const GENERIC_MARKS = /(?=\p{M})\p{Script=Inherited}/gu;
const IGNORED = /[\p{Cf}\p{Default_Ignorable_Code_Point}\s]/gu;

function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(GENERIC_MARKS, '');
}

function mapLookalikes(text: string): string {
  let out = '';
  for (const cp of text) {
    // A second lookup: case folding can land on a lookalike ("I" → "i" → "l").
    const folded = LOOKALIKES.get(cp) ?? cp.toLowerCase();
    out += LOOKALIKES.get(folded) ?? folded;
  }
  return out;
}

/**
 * What a name looks like, for comparing: NFKC, case folded, diacritics stripped, lookalikes
 * across Latin, Cyrillic and Greek mapped to one letter (а/a, 0/o, 1/l/I, rn/m), whitespace and
 * invisible characters dropped. Two names with the same skeleton could pass for each other.
 * Not for display; errs towards "alike" ("Ali" and "All" share one).
 */
export function nameSkeleton(name: string): string {
  let s = stripDiacritics(normalizeText(name));
  s = stripDiacritics(mapLookalikes(s)).replace(IGNORED, '');
  for (const [pattern, to] of DIGRAPHS) s = s.replace(pattern, to);
  return s;
}

// ---- labels ----------------------------------------------------------------------------------

/** Between a name and its disambiguating suffix: "Ana ·k3". */
export const LABEL_SEPARATOR = ' ·';
/** Suffix digits: none that pass for another (no 0, 1, i, l, o) or pair up (no r, v). */
const SUFFIX_DIGITS = '23456789abcdefghjkmnpqstuwxyz';
const SUFFIX_MIN = 2;
/** 29^7 > 2^32: at full length two different ids always get different suffixes. */
const SUFFIX_MAX = 7;

/** A bijection on 32-bit ids (murmur3's finaliser), so neighbouring ids get unrelated suffixes. */
function mix(id: number): number {
  let h = id >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The first `length` suffix digits of a user id. */
export function idSuffix(id: number, length: number): string {
  let h = mix(id);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SUFFIX_DIGITS.charAt(h % SUFFIX_DIGITS.length);
    h = Math.floor(h / SUFFIX_DIGITS.length);
  }
  return out;
}

export interface NamedUser {
  id: number;
  name: string;
  /** Accepted so a User can be passed as is; never used (a colour is no proof of identity). */
  color?: string;
}

/**
 * A display label for every user: the name when nobody else in the list has a name with the
 * same skeleton, else "name ·suffix", the suffix taken from the user's id (2 digits, longer only
 * when two lookalikes' 2 digits clash). A name that mimics someone's label ("Ana ·k3") gets a
 * suffix too. Every viewer gets the same labels whatever the order of the list; labels are made
 * of nothing but each user's own name and id, and no two labels have the same skeleton.
 * Ids are unique (the server's u32 ids); when one repeats, the later entry wins.
 */
export function disambiguate(users: readonly NamedUser[]): Map<number, string> {
  const byId = new Map<number, { name: string; skeleton: string }>();
  for (const user of users) {
    byId.set(user.id, { name: user.name, skeleton: nameSkeleton(user.name) });
  }
  const count = new Map<string, number>();
  for (const { skeleton } of byId.values()) count.set(skeleton, (count.get(skeleton) ?? 0) + 1);
  const suffixed = new Set<number>();
  for (const [id, { skeleton }] of byId) if ((count.get(skeleton) ?? 0) > 1) suffixed.add(id);

  // Each round may suffix more users (those whose plain name mimics a label); it ends when no
  // plain name looks like any label, after at most one round per user.
  for (;;) {
    const labels = suffixLabels(byId, suffixed);
    const labelSkeletons = new Set<string>();
    for (const id of suffixed) labelSkeletons.add(nameSkeleton(labels.get(id) ?? ''));
    let grew = false;
    for (const [id, { skeleton }] of byId) {
      if (!suffixed.has(id) && labelSkeletons.has(skeleton)) {
        suffixed.add(id);
        grew = true;
      }
    }
    if (grew) continue;
    const out = new Map<number, string>();
    for (const [id, { name }] of byId) out.set(id, labels.get(id) ?? name);
    return out;
  }
}

/** Labels for the suffixed users: per skeleton, the shortest suffix length that tells them apart. */
function suffixLabels(
  byId: ReadonlyMap<number, { name: string; skeleton: string }>,
  suffixed: ReadonlySet<number>,
): Map<number, string> {
  const groups = new Map<string, number[]>();
  for (const id of suffixed) {
    const skeleton = byId.get(id)?.skeleton ?? '';
    const group = groups.get(skeleton);
    if (group) group.push(id);
    else groups.set(skeleton, [id]);
  }
  const labels = new Map<number, string>();
  for (const ids of groups.values()) {
    let length = SUFFIX_MIN;
    while (
      length < SUFFIX_MAX &&
      new Set(ids.map((id) => idSuffix(id, length))).size < ids.length
    ) {
      length++;
    }
    for (const id of ids) {
      labels.set(id, `${byId.get(id)?.name ?? ''}${LABEL_SEPARATOR}${idSuffix(id, length)}`);
    }
  }
  return labels;
}
