import { describe, expect, it } from 'vitest';
import { MESSAGE_RATES } from '../src/messages.ts';
import { senderRate, TokenBucket } from '../src/token-bucket.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst, then the steady rate', () => {
    const c = clock();
    const bucket = new TokenBucket(10, 5, c.now);
    const first = Array.from({ length: 8 }, () => bucket.take());
    expect(first).toEqual([true, true, true, true, true, false, false, false]);
    c.advance(100); // one token's worth
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('only throttles a client slightly over the limit', () => {
    const c = clock();
    const bucket = new TokenBucket(50, 100, c.now);
    let accepted = 0;
    for (let i = 0; i < 60 * 10; i++) {
      c.advance(1000 / 60); // 60 messages a second for 10 s
      if (bucket.take()) accepted++;
      expect(bucket.abusive).toBe(false);
    }
    expect(accepted).toBeGreaterThan(580); // burst + 50/s
    expect(accepted).toBeLessThan(600);
  });

  it('marks a flood as abusive within a fraction of a second', () => {
    const c = clock();
    const bucket = new TokenBucket(50, 100, c.now);
    let sent = 0;
    while (!bucket.abusive && sent < 10_000) {
      c.advance(0.1); // 10,000 messages a second
      bucket.take();
      sent++;
    }
    expect(bucket.abusive).toBe(true);
    expect(sent).toBeLessThan(300);
  });

  it('does not charge a client for the backlog a server stall left behind', () => {
    const c = clock();
    let stalled = 0;
    const bucket = new TokenBucket(60, 120, c.now, { stalledMs: () => stalled });
    // An honest client at 30 a second during 10 s of normal running.
    for (let i = 0; i < 300; i++) {
      c.advance(1000 / 30);
      expect(bucket.take()).toBe(true);
    }
    // The server stalls for 12 s; the 360 messages sent meanwhile are all read at once.
    c.advance(12_000);
    stalled += 12_000;
    for (let i = 0; i < 360; i++) expect(bucket.take()).toBe(true);
    expect(bucket.abusive).toBe(false);
    // The credit is what the client could have sent at the full rate during the stall (720),
    // no more, and it drains like normal refill: it is not a reserve for later.
    c.advance(20_000);
    let refused = 0;
    for (let i = 0; i < 400; i++) if (!bucket.take()) refused++;
    expect(refused).toBe(400 - 120);
    expect(bucket.abusive).toBe(true);
  });

  it('without a stall, the same backlog is a flood', () => {
    const c = clock();
    const bucket = new TokenBucket(60, 120, c.now);
    c.advance(12_000);
    let refused = 0;
    for (let i = 0; i < 360; i++) if (!bucket.take()) refused++;
    expect(refused).toBe(240);
    expect(bucket.abusive).toBe(true);
  });

  it('uses the monotonic clock: a wall-clock step back changes nothing', () => {
    const bucket = new TokenBucket(60, 120);
    const realNow = Date.now;
    try {
      // The wall clock jumps 2 s back (NTP, a VM restored); performance.now() does not.
      Date.now = () => realNow() - 2000;
      let refused = 0;
      for (let i = 0; i < 100; i++) if (!bucket.take()) refused++;
      expect(refused).toBe(0);
    } finally {
      Date.now = realNow;
    }
  });

  it('never holds more than the burst, however long it rested (the page relies on this)', () => {
    const c = clock();
    const bucket = new TokenBucket(4, 3, c.now);
    c.advance(60_000);
    const taken = Array.from({ length: 10 }, () => bucket.take()).filter(Boolean).length;
    expect(taken).toBe(3);
  });

  it('takes a protocol rate as it is (TokenBucket.of)', () => {
    const c = clock();
    const bucket = TokenBucket.of(MESSAGE_RATES.chat, c.now);
    const taken = Array.from({ length: 20 }, () => bucket.take()).filter(Boolean).length;
    expect(taken).toBe(MESSAGE_RATES.chat.burst);
    c.advance(1000);
    const refilled = Array.from({ length: 20 }, () => bucket.take()).filter(Boolean).length;
    expect(refilled).toBe(MESSAGE_RATES.chat.perSec);
  });

  it('a sender at senderRate is never refused by the receiver, even when the network bunches', () => {
    for (const [type, rate] of Object.entries(MESSAGE_RATES)) {
      const sent = clock();
      const sender = TokenBucket.of(senderRate(rate), sent.now);
      // Every message the sender lets out, as fast as it lets them, arrives up to 150 ms late.
      const arrivals: number[] = [];
      let seed = 7;
      for (let t = 0; t < 20_000; t += 10) {
        sent.advance(10);
        if (sender.take()) {
          seed = (seed * 48271) % 2147483647;
          arrivals.push(t + (seed % 150));
        }
      }
      // Arrivals in order, each delayed: the worst bunching is a slow one followed by fast ones.
      arrivals.sort((a, b) => a - b);
      const got = clock();
      const receiver = TokenBucket.of(rate, got.now);
      let refused = 0;
      for (const at of arrivals) {
        got.advance(at - got.now());
        if (!receiver.take()) refused++;
      }
      expect({ type, refused }).toEqual({ type, refused: 0 });
      // And the sender still gets most of the rate: the margin is not a throttle.
      expect(arrivals.length / 20).toBeGreaterThan(rate.perSec * 0.7);
    }
  });
});
