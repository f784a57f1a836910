import { describe, expect, it } from 'vitest';
import { initialOf } from './initial.ts';

describe('initialOf', () => {
  it('is the first letter of a one-word name, upper-cased', () => {
    expect(initialOf('ada')).toBe('A');
    expect(initialOf('  Émile')).toBe('É');
  });

  it('takes first and last word of a longer name', () => {
    expect(initialOf('Ada Lovelace')).toBe('AL');
    expect(initialOf('grace  brewster hopper')).toBe('GH');
  });

  it('keeps a trailing number, so numbered names stay apart', () => {
    expect(initialOf('Bot 7')).toBe('B7');
    expect(initialOf('Bot 42')).toBe('B42');
    expect(initialOf('bot 100')).toBe('B100');
    expect(initialOf('Room 12345')).toBe('R1');
  });

  it('keeps a whole emoji or combined letter', () => {
    expect(initialOf('👩‍💻 dev')).toBe('👩‍💻D');
    expect(initialOf('e\u0301tienne')).toBe('E\u0301');
  });

  it('has a stand-in for an empty name', () => {
    expect(initialOf('')).toBe('?');
  });
});
