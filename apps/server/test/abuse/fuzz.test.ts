import { connect } from 'node:net';
import {
  CloseCode,
  encodeMoveBinary,
  encodeMoveText,
  PROTOCOL_VERSION,
} from '@cursorline/protocol';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ChildServer, startChildServer } from '../child-server.ts';
import { idOf, joinRoom, type TestUser, waitFor } from '../helpers.ts';

/**
 * 100,000 frames over 50 connections at a server in its own process: mostly valid traffic, with
 * every kind of bad input mixed in. Each bad frame must close its connection with the documented
 * code; the server must not crash, must give its memory back, and a canary pair in the same room
 * must keep exchanging cursors throughout.
 */
const TOTAL_FRAMES = 100_000;
const CONNECTIONS = 50;

type Bad = { frame: string | Buffer; binary: boolean; code: number; kind: string };

// A new seed each run (printed on failure); FUZZ_SEED=n replays a run.
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
let seed = SEED;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (max: number) => Math.floor(random() * (max + 1));

function validFrame(): { frame: string | Uint8Array; binary: boolean } {
  const at = random() < 0.05 ? null : { x: int(1600), y: int(1000) };
  return pick([
    () => ({ frame: encodeMoveBinary(at), binary: true }),
    () => ({ frame: encodeMoveText(at), binary: false }),
    () => ({
      frame: JSON.stringify({ t: 'state', state: pick(['active', 'idle', 'away']) }),
      binary: false,
    }),
    () => ({
      frame: JSON.stringify({
        t: 'pointer',
        kind: pick(['mouse', 'pen', 'touch']),
        pressed: random() < 0.5,
      }),
      binary: false,
    }),
    () => ({
      frame: JSON.stringify({ t: 'view', view: { x: 0, y: int(500), w: int(1600), h: int(500) } }),
      binary: false,
    }),
  ])();
}

function badFrame(): Bad {
  return pick<() => Bad>([
    () => ({
      kind: 'invalid UTF-8',
      frame: Buffer.from([0x7b, 0xc3, 0x28, 0xff]),
      binary: false,
      code: CloseCode.InvalidData,
    }),
    () => ({
      kind: 'binary garbage',
      frame: Buffer.from(
        fc.sample(
          fc
            .uint8Array({ minLength: 1, maxLength: 40 })
            .filter((b) => b[0] !== 1 || b.length !== 5),
          { numRuns: 1, seed: int(1e9) },
        )[0] ?? [9],
      ),
      binary: true,
      code: CloseCode.InvalidData,
    }),
    () => ({
      kind: 'oversized',
      frame: JSON.stringify({ t: 'name', name: 'x'.repeat(5000 + int(70_000)) }),
      binary: false,
      code: CloseCode.TooBig,
    }),
    () => ({
      kind: 'unknown type',
      frame: JSON.stringify({ t: `x${int(99)}` }),
      binary: false,
      code: CloseCode.PolicyViolation,
    }),
    () => ({
      kind: 'schema violation',
      frame: JSON.stringify({ t: 'view', view: { x: -int(9) - 1, y: 0, w: 1, h: 1 } }),
      binary: false,
      code: CloseCode.PolicyViolation,
    }),
    () => ({
      kind: 'not JSON',
      frame: `{${fc.sample(fc.string(), { numRuns: 1, seed: int(1e9) })[0] ?? ''},,`,
      binary: false,
      code: CloseCode.InvalidData,
    }),
    () => ({
      kind: 'second hello',
      frame: JSON.stringify({ t: 'hello', v: 1, room: 'fuzz', name: 'again' }),
      binary: false,
      code: CloseCode.PolicyViolation,
    }),
  ])();
}

let server: ChildServer;
let frames = 0;
const mismatches: string[] = [];
const refusals = new Map<string, number>();

/** One connection: hello, valid frames, then (usually) one bad frame; checks how it is closed. */
async function fuzzOnce(url: string): Promise<void> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
  ws.on('error', () => {});
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'fuzz', name: `f${int(999)}` }));
  frames++;
  while (frames < TOTAL_FRAMES) {
    frames++;
    if (random() < 0.1) {
      const bad = badFrame();
      ws.send(bad.frame, { binary: bad.binary });
      const code = await closed;
      refusals.set(bad.kind, (refusals.get(bad.kind) ?? 0) + 1);
      if (code !== bad.code) mismatches.push(`${bad.kind}: got ${code}, want ${bad.code}`);
      return;
    }
    const ok = validFrame();
    ws.send(ok.frame, { binary: ok.binary });
    if (frames % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  ws.close(1000);
  await closed;
}

/** Garbage below the WebSocket layer: not HTTP at all, or broken frames after a real upgrade. */
function rawGarbage(port: number, upgradeFirst: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (upgradeFirst && reply.includes('\r\n\r\n') && !reply.includes('sent')) {
        reply += 'sent';
        // An unmasked frame with a reserved opcode: two protocol errors at once.
        socket.write(Buffer.from([0x83, 0x05, 1, 2, 3, 4, 5]));
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(reply));
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('connect', () => {
      if (upgradeFirst) {
        socket.write(
          'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      } else {
        socket.write(
          Buffer.from(
            fc.sample(fc.uint8Array({ minLength: 8, maxLength: 200 }), {
              numRuns: 1,
              seed: int(1e9),
            })[0] ?? [0],
          ),
        );
        socket.write('\r\n\r\n');
      }
    });
  });
}

afterAll(() => server?.stop());

describe('fuzzing the server', () => {
  it('survives 100,000 mixed frames over 50 connections', async () => {
    server = await startChildServer({
      RATE_LIMIT: '1000000',
      RATE_BURST: '1000000',
      MAX_CONNECTIONS_PER_IP: '100000',
    });
    const a = await joinRoom(server.url, 'fuzz', 'canaryA', 'ws');
    const b = await joinRoom(server.url, 'fuzz', 'canaryB', 'sockjs');
    const baselineHeap = await server.heapAfterGcBytes();

    let round = 0;
    const canaryCheck = async (users: TestUser[]) => {
      round++;
      users[0]?.client.move({ x: round % 1600, y: 7 });
      await waitFor(
        () => users[1]?.seen.get(idOf(users[0] as TestUser))?.x === round % 1600,
        'canary',
        5000,
      );
    };

    const workers = Array.from({ length: CONNECTIONS }, async () => {
      while (frames < TOTAL_FRAMES) await fuzzOnce(server.url);
    });
    const checker = (async () => {
      while (frames < TOTAL_FRAMES) {
        await canaryCheck([a, b]);
        await canaryCheck([b, a]);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const garbage = await Promise.all(
      Array.from({ length: 100 }, (_, i) => rawGarbage(server.port, i % 2 === 0)),
    );
    await Promise.all([...workers, checker]);

    expect(server.alive()).toBe(true);
    expect(frames).toBeGreaterThanOrEqual(TOTAL_FRAMES);
    expect(mismatches, `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(refusals.size).toBe(7); // every kind of bad frame was tried
    // Not HTTP: 400 and closed. Broken frames after an upgrade: close code 1002 (protocol error).
    for (const [i, reply] of garbage.entries()) {
      if (i % 2 === 1) expect(reply.startsWith('HTTP/1.1 400')).toBe(true);
      else expect(reply).toContain(Buffer.from([0x88, 0x02, 0x03, 0xea]).toString('latin1'));
    }
    await canaryCheck([a, b]);
    expect(a.client.status).toBe('open');
    expect(b.client.status).toBe('open');

    // Memory comes back: with the fuzz connections gone, the heap after a full GC is where it
    // was before (a few MB of slack for lazily compiled code and pooled buffers).
    const after = await server.heapAfterGcBytes();
    expect(after - baselineHeap).toBeLessThan(8 * 1024 * 1024);
    a.client.close();
    b.client.close();
  }, 240_000);
});
