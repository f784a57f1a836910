const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The letter on someone's avatar: the first character of their name as a person sees it (a
 * whole emoji or accented letter, not half of one), upper-cased.
 */
export function initialOf(name: string): string {
  const first = segmenter.segment(name.trim())[Symbol.iterator]().next();
  return first.done ? '?' : first.value.segment.toLocaleUpperCase();
}
