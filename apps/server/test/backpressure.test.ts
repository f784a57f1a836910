import type { Socket } from 'node:net';
import { CloseCode, decodeServerFrame, PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Seat } from '../src/rooms/registry.ts';
import type { Connection } from '../src/transports/transport.ts';
import { type RawClose, type Running, rawWs, startServer, waitFor } from './helpers.ts';

/**
 * A real server and a real ws client that stops reading. The kernel absorbs a few MB per
 * socket before the server sees any backlog, so the room needs heavy traffic: 2,000 extra
 * members that move every tick. They are load, not the subject, so they join in-process with
 * a sink Connection instead of 2,000 sockets.
 */
const sink: Connection = {
  transport: 'ws',
  format: 'binary',
  remoteAddress: 'load',
  send: () => {},
  bufferedBytes: () => 0,
  close: () => {},
};

let running: Running;
let mover: ReturnType<typeof setInterval> | undefined;
afterEach(async () => {
  clearInterval(mover);
  await running.server.close();
});

/**
 * The crowd comes from one (fake) address, far past the per-address caps. Interest management
 * (protocol v3) would send each recipient only K of the crowd's cursors, too little traffic to
 * fill a socket: a K above the crowd's size sends everyone everything, as before v3.
 */
const crowdLimits = { maxSeatsPerIp: 10_000, maxRoomUsers: 10_000, interestK: 10_000 };

function crowd(count: number): Seat[] {
  const seats = Array.from({ length: count }, (_, i) => {
    const joined = running.server.rooms.join(
      'busy',
      { connection: sink, kick: () => {} },
      `load${i}`,
    );
    if ('refused' in joined) throw new Error(`crowd refused: ${joined.refused.reason}`);
    return joined;
  });
  let t = 0;
  mover = setInterval(() => {
    t++;
    for (const [i, { room, member }] of seats.entries()) {
      room.move(member, { x: (t * 7 + i) % 1600, y: (t * 3 + i) % 1000 });
    }
  }, 10);
  return seats;
}

async function sendQueueBytes(): Promise<number> {
  const text = await (await fetch(`${running.url}/metrics`)).text();
  return Number(/^cursorline_send_queue_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
}

interface Stalled {
  id: number;
  socket: Socket;
  closed: Promise<RawClose>;
  /** The newest position it has received of each user. */
  latest: Map<number, { x: number; y: number } | null>;
  leaves: number[];
}

/** A raw ws client in the busy room that records what it reads (once it reads at all). */
async function member(name: string): Promise<Stalled> {
  const { ws, closed } = await rawWs(running.url);
  const latest = new Map<number, { x: number; y: number } | null>();
  const leaves: number[] = [];
  let resolveId: (id: number) => void = () => {};
  const id = new Promise<number>((resolve) => {
    resolveId = resolve;
  });
  ws.on('message', (data, isBinary) => {
    const bytes = data as Buffer;
    const frame = isBinary
      ? new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length)
      : bytes.toString();
    const decoded = decodeServerFrame(frame);
    if (!decoded.ok) throw new Error(decoded.reason);
    if (decoded.msg.t === 'welcome') resolveId(decoded.msg.self.id);
    if (decoded.msg.t === 'changes') leaves.push(...(decoded.msg.left ?? []));
    if (decoded.msg.t === 'cursors') for (const m of decoded.msg.moves) latest.set(m.id, m.at);
  });
  ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'busy', name }));
  const socket = (ws as unknown as { _socket: Socket })._socket;
  return { id: await id, socket, closed, latest, leaves };
}

describe('backpressure against a client that stops reading', () => {
  it('disconnects it with 1013 while the others keep getting fresh cursors', async () => {
    // Skipped frames do not queue, so a stalled client stays just over the soft limit until
    // maxBehindMs says it has been behind for too long.
    running = await startServer({ tickMs: 10, maxBehindMs: 2000, ...crowdLimits });
    const observer = await member('observer');
    const stalled = await member('stalled');
    stalled.socket.pause();
    const seats = crowd(2000);

    // While it is skipped, what the server holds for it is bounded: just over the soft limit,
    // far under the hard one (the /metrics gauge the bench's stalled scenario reads).
    const { stats } = running.server.rooms;
    await waitFor(() => stats.framesSkipped > 0, 'the server to start skipping it', 30_000);
    const queued = await sendQueueBytes();
    expect(queued).toBeGreaterThan(64 * 1024);
    expect(queued).toBeLessThan(1024 * 1024);

    await waitFor(
      () => observer.leaves.includes(stalled.id),
      'the stalled client to be dropped',
      30_000,
    );
    expect(running.server.rooms.stats.slowDisconnects).toBe(1);
    expect(running.server.rooms.userCount).toBe(2001);
    stalled.socket.resume(); // let it read what is left, down to the close frame
    expect((await stalled.closed).code).toBe(CloseCode.TryAgainLater);
    // Closed, its queue is released (until the close handshake ends, the 1013 waits in it).
    let left = await sendQueueBytes();
    for (let i = 0; i < 50 && left >= 64 * 1024; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await sendQueueBytes();
    }
    expect(left).toBeLessThan(64 * 1024);

    // The observer kept up all along and holds the crowd's newest positions.
    clearInterval(mover);
    await waitFor(
      () =>
        seats.every(({ member: m }) => {
          const seen = observer.latest.get(m.user.id);
          return seen?.x === m.user.at?.x && seen?.y === m.user.at?.y;
        }),
      'the observer to hold every current position',
      5000,
    );
  }, 60_000);

  it('lets a client that stalls briefly catch up with the newest state, without dropping it', async () => {
    running = await startServer({ tickMs: 10, maxBehindMs: 60_000, ...crowdLimits });
    const stalled = await member('stalled');
    const seats = crowd(2000);
    stalled.socket.pause();
    const { stats } = running.server.rooms;
    await waitFor(() => stats.framesSkipped > 10, 'the server to start skipping it', 20_000);

    stalled.socket.resume();
    clearInterval(mover); // the crowd stops: its positions now are the newest state
    await waitFor(
      () =>
        seats.every(({ member: m }) => {
          const seen = stalled.latest.get(m.user.id);
          return seen?.x === m.user.at?.x && seen?.y === m.user.at?.y;
        }),
      'the stalled client to hold every current position',
      20_000,
    );
    expect(stats.slowDisconnects).toBe(0);
    expect(running.server.rooms.userCount).toBe(2001);
  }, 60_000);
});
