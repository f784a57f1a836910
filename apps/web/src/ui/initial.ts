const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const firstGrapheme = (word: string) => {
  const first = segmenter.segment(word)[Symbol.iterator]().next();
  return first.done ? '' : first.value.segment.toLocaleUpperCase();
};

/**
 * The letters on someone's avatar and off-screen marker: the first character of their name as
 * a person sees it (a whole emoji or accented letter, not half of one), upper-cased, plus the
 * first of their last word when there are several, so "Ada Lovelace" is "AL". A number at the
 * end is kept whole (up to three digits): in a crowd of "Bot 1" … "Bot 100" every avatar would
 * otherwise read "B" or "B1".
 */
export function initialOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first) return '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  if (!last) return firstGrapheme(first);
  if (/^\d{1,3}$/.test(last)) return `${firstGrapheme(first)}${last}`;
  return `${firstGrapheme(first)}${firstGrapheme(last)}`;
}
