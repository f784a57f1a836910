import { BOARD_HEIGHT, BOARD_WIDTH } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { MOVE_CYCLE, moveOfPoint, pointOfMove, SentLog } from '../src/move-code.ts';

describe('move counter ↔ position', () => {
  it('round-trips every counter to a board point and back', () => {
    for (const n of [0, 1, 1600, 1601, 123_456, MOVE_CYCLE - 1]) {
      const at = pointOfMove(n);
      expect(at.x).toBeLessThanOrEqual(BOARD_WIDTH);
      expect(at.y).toBeLessThanOrEqual(BOARD_HEIGHT);
      expect(moveOfPoint(at)).toBe(n);
    }
  });

  it('gives distinct positions to consecutive moves, and wraps after the whole board', () => {
    const seen = new Set<number>();
    for (let n = 500_000; n < 510_000; n++) seen.add(moveOfPoint(pointOfMove(n)));
    expect(seen.size).toBe(10_000);
    expect(pointOfMove(MOVE_CYCLE)).toEqual(pointOfMove(0));
  });
});

describe('SentLog', () => {
  it('remembers the recent moves and forgets older ones', () => {
    const log = new SentLog(4);
    for (let move = 10; move < 16; move++) log.record(move, move * 100);
    expect(log.sentAt(15)).toBe(1500);
    expect(log.sentAt(12)).toBe(1200);
    expect(log.sentAt(11)).toBeUndefined(); // overwritten by 15
    expect(log.sentAt(99)).toBeUndefined();
  });

  it('needs a power-of-two size', () => {
    expect(() => new SentLog(100)).toThrow();
  });
});
