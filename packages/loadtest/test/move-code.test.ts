import { BOARD_HEIGHT, BOARD_WIDTH } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { MOVE_CYCLE, moveOfPoint, pointOfMove, SentLogs } from '../src/move-code.ts';

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

describe('SentLogs', () => {
  it("remembers each user's recent moves and forgets older ones", () => {
    const logs = new SentLogs(3, 4);
    for (let move = 10; move < 16; move++) logs.record(1, move, move * 100);
    expect(logs.sentAt(1, 15)).toBe(1500);
    expect(logs.sentAt(1, 12)).toBe(1200);
    expect(logs.sentAt(1, 11)).toBeUndefined(); // overwritten by 15
    expect(logs.sentAt(1, 99)).toBeUndefined();
    // The other users' rings are untouched.
    expect(logs.sentAt(0, 15)).toBeUndefined();
    expect(logs.sentAt(2, 15)).toBeUndefined();
  });

  it('knows move 0, although an empty slot is all zeros', () => {
    const logs = new SentLogs(1, 4);
    expect(logs.sentAt(0, 0)).toBeUndefined();
    logs.record(0, 0, 7.5);
    expect(logs.sentAt(0, 0)).toBe(7.5);
  });

  it("keeps each user's first send time, NaN until it sends", () => {
    const logs = new SentLogs(2, 4);
    expect(logs.firstSentAt(0)).toBeNaN();
    logs.record(0, 5, 123.25);
    logs.record(0, 6, 456);
    expect(logs.firstSentAt(0)).toBe(123.25);
    expect(logs.firstSentAt(1)).toBeNaN();
  });

  it('is read through a second view of the same buffer (as the other thread sees it)', () => {
    const writer = new SentLogs(4, 8);
    const reader = new SentLogs(4, 8, writer.buffer);
    expect(reader.firstSentAt(3)).toBeNaN();
    writer.record(3, 1_000_003, 42.125);
    expect(reader.sentAt(3, 1_000_003)).toBe(42.125);
    expect(reader.firstSentAt(3)).toBe(42.125);
    // The view must not reset what the writer already holds (it does not fill the buffer).
    const late = new SentLogs(4, 8, writer.buffer);
    expect(late.firstSentAt(3)).toBe(42.125);
  });

  it('refuses a buffer of the wrong size and a size that is not a power of two', () => {
    expect(() => new SentLogs(2, 100)).toThrow();
    expect(() => new SentLogs(5, 8, new SentLogs(4, 8).buffer)).toThrow(/expected/);
  });
});
