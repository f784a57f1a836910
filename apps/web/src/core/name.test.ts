import { describe, expect, it } from 'vitest';
import { cleanName } from './name.ts';

describe('cleanName', () => {
  it('trims', () => {
    expect(cleanName('  Ada  ')).toBe('Ada');
  });

  it('refuses names the server would refuse', () => {
    expect(cleanName('   ')).toBeNull();
    expect(cleanName('x'.repeat(33))).toBeNull();
    expect(cleanName('bad\u202ename')).toBeNull();
  });

  it('accepts 32 characters', () => {
    expect(cleanName('x'.repeat(32))).toBe('x'.repeat(32));
  });
});
