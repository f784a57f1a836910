import { CloseCode, encodeMoveBinary, PROTOCOL_VERSION } from '@cursorline/protocol';
import SockJS from 'sockjs-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idOf,
  joinRoom,
  type RawClose,
  type Running,
  rawWs,
  startServer,
  type TestUser,
  waitFor,
} from './helpers.ts';

const hello = (extra: object = {}) =>
  JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'canary', name: 'offender', ...extra });

/** Frames that must each end the connection with the given close code. */
const cases: [string, (string | Buffer)[], number][] = [
  ['text that is not JSON', ['{nope'], CloseCode.InvalidData],
  ['binary garbage', [Buffer.from([0xde, 0xad, 0xbe, 0xef])], CloseCode.InvalidData],
  ['an unknown message type', ['{"t":"explode"}'], CloseCode.PolicyViolation],
  ['a hello with a bad room', [hello({ room: '../etc' })], CloseCode.PolicyViolation],
  [
    'a cursor before hello',
    [encodeMoveBinary({ x: 1, y: 1 }) as unknown as Buffer],
    CloseCode.PolicyViolation,
  ],
  ['a too-old protocol version', [hello({ v: 0 })], CloseCode.UnsupportedVersion],
  ['a second hello', [hello(), hello()], CloseCode.PolicyViolation],
  ['a malformed move after joining', [hello(), 'cAA'], CloseCode.InvalidData],
  ['a bad rename after joining', [hello(), '{"t":"name","name":""}'], CloseCode.PolicyViolation],
  ['an oversized message', [hello({ name: 'x'.repeat(10_000) })], CloseCode.TooBig],
];

let running: Running;
let canaryA: TestUser;
let canaryB: TestUser;
let statusChanges = 0;

beforeAll(async () => {
  running = await startServer({ helloTimeoutMs: 300 });
  canaryA = await joinRoom(running.url, 'canary', 'A', 'ws');
  canaryB = await joinRoom(running.url, 'canary', 'B', 'sockjs');
  for (const c of [canaryA, canaryB]) c.client.on('status', () => statusChanges++);
});
afterAll(async () => {
  canaryA.client.close();
  canaryB.client.close();
  await running.server.close();
});

/** The canary pair must still exchange cursors, and must have seen nothing odd. */
async function expectCanariesFine(round: number): Promise<void> {
  canaryA.client.move({ x: round, y: 1 });
  canaryB.client.move({ x: round, y: 2 });
  await waitFor(() => canaryB.seen.get(idOf(canaryA))?.x === round, 'B to see A');
  await waitFor(() => canaryA.seen.get(idOf(canaryB))?.x === round, 'A to see B');
  await waitFor(
    () => canaryA.client.users.size === 1 && canaryB.client.users.size === 1,
    'offender gone',
  );
  expect(statusChanges).toBe(0); // no disconnect, no bad frame from the server
  expect(running.server.rooms.userCount).toBe(2);
}

describe('bad input over ws', () => {
  it.each(cases)('%s is closed with the documented code', async (_name, frames, code) => {
    const { ws, closed } = await rawWs(running.url);
    for (const f of frames) ws.send(f);
    const result = await closed;
    expect(result.code).toBe(code);
    expect(result.reason.length).toBeGreaterThan(0);
    await expectCanariesFine(cases.findIndex((c) => c[0] === _name) + 10);
  });

  it('a frame over the hard cap is cut off by ws with 1009', async () => {
    const { ws, closed } = await rawWs(running.url);
    ws.send(Buffer.alloc(200_000, 0x61), { binary: false });
    expect((await closed).code).toBe(CloseCode.TooBig);
    await expectCanariesFine(90);
  });

  it('invalid UTF-8 in a text frame is closed with 1007', async () => {
    const { ws, closed } = await rawWs(running.url);
    ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await closed).code).toBe(CloseCode.InvalidData);
    await expectCanariesFine(100);
  });

  it('a client that never says hello is closed with 4002', async () => {
    const { closed } = await rawWs(running.url);
    expect(await closed).toMatchObject({ code: CloseCode.HelloTimeout });
  });

  it('other users never receive a joined offender`s bad message, only its leave', async () => {
    const { ws, closed } = await rawWs(running.url);
    ws.send(hello());
    await waitFor(() => canaryA.client.users.size === 2, 'offender to join');
    ws.send('{"t":"name","name":"\\u0007bell"}');
    expect((await closed).code).toBe(CloseCode.PolicyViolation);
    await expectCanariesFine(200);
    expect([...canaryB.client.users.values()].map((u) => u.name)).toEqual(['A']);
  });
});

describe('bad input over SockJS', () => {
  function sockjsSend(frames: string[], transport: string): Promise<RawClose> {
    return new Promise((resolve) => {
      const sock = new SockJS(`${running.url}/sockjs`, null, { transports: [transport] });
      sock.onopen = () => {
        for (const f of frames) sock.send(f);
      };
      sock.onclose = (e: CloseEvent) => resolve({ code: e.code, reason: e.reason });
    });
  }

  const textCases = cases.filter(([, frames]) => frames.every((f) => typeof f === 'string'));
  for (const transport of ['websocket', 'xhr-streaming']) {
    it.each(textCases)(
      `%s is closed with the documented code (${transport})`,
      async (name, frames, code) => {
        const result = await sockjsSend(frames as string[], transport);
        expect(result.code).toBe(code);
        expect(result.reason.length).toBeGreaterThan(0);
        await expectCanariesFine(300 + textCases.findIndex((c) => c[0] === name));
      },
    );
  }
});
