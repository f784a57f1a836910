import { describe, expect, it } from 'vitest';
import {
  CLIENT_JSON_TYPES,
  MESSAGE_RATES,
  PRESENCE_WRITE_RATE,
  RELAYED_SCHEMAS,
  rateOf,
} from '../src/messages.ts';

describe('MESSAGE_RATES', () => {
  it('limits only real client messages, each with a positive rate and a burst of at least one', () => {
    for (const [t, rate] of Object.entries(MESSAGE_RATES)) {
      expect(CLIENT_JSON_TYPES.has(t)).toBe(true);
      expect(rate.perSec).toBeGreaterThan(0);
      expect(rate.burst).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives the presence writes one shared limit, and hello, cursor and bye none', () => {
    for (const t of ['name', 'state', 'pointer', 'view'] as const) {
      expect(rateOf(t)).toBe(PRESENCE_WRITE_RATE);
    }
    for (const t of ['hello', 'cursor', 'bye'] as const) expect(rateOf(t)).toBeUndefined();
  });

  it('limits every relayed message: they go to everyone in the room', () => {
    for (const schema of RELAYED_SCHEMAS) {
      expect(rateOf(schema.shape.t.value)?.over).toBe('drop');
    }
  });
});
