import { describe, expect, it } from 'vitest';
import { initialOf } from './initial.ts';

describe('initialOf', () => {
  it('is the first letter, upper-cased', () => {
    expect(initialOf('ada')).toBe('A');
    expect(initialOf('  Émile')).toBe('É');
  });

  it('keeps a whole emoji or combined letter', () => {
    expect(initialOf('👩‍💻 dev')).toBe('👩‍💻');
    expect(initialOf('e\u0301tienne')).toBe('E\u0301');
  });

  it('has a stand-in for an empty name', () => {
    expect(initialOf('')).toBe('?');
  });
});
