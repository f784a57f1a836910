import { describe, expect, it } from 'vitest';
import { cleanChat } from './chat-text.ts';

describe('cleanChat', () => {
  it('trims', () => {
    expect(cleanChat('  hi there ')).toBe('hi there');
  });

  it('turns control characters into spaces instead of sending what the server refuses', () => {
    expect(cleanChat('a\tb')).toBe('a b');
    expect(cleanChat('evil\u202eeman')).toBe('evil eman');
  });

  it('keeps 80 characters and refuses more', () => {
    expect(cleanChat('x'.repeat(80))).toBe('x'.repeat(80));
    expect(cleanChat('x'.repeat(81))).toBeNull();
  });

  it('gives empty for nothing typed (which clears a bubble)', () => {
    expect(cleanChat('   ')).toBe('');
  });

  it('leaves markup as text', () => {
    expect(cleanChat('<b>hi</b>')).toBe('<b>hi</b>');
  });
});
