import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type RawClose, waitFor } from './helpers.ts';

/**
 * The course's evidence for chapters 1 and 2: the tutorial design this project descends from,
 * as docs/course/naive/tutorial-server.mjs keeps it, really does leave ghosts, give newcomers
 * nothing, and die of one malformed frame. The tests of this codebase that assert the opposite
 * are presence.test.ts, room.test.ts and bad-input.test.ts.
 */
const script = fileURLToPath(
  new URL('../../../docs/course/naive/tutorial-server.mjs', import.meta.url),
);
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill();
  child = undefined;
});

/** Starts the tutorial server on a free port, in its own process. */
function startTutorial(): Promise<{ url: string; exited: Promise<number | null> }> {
  const proc = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      const port = /listening on (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ url: `ws://127.0.0.1:${port}`, exited });
    });
    proc.once('exit', (code) => reject(new Error(`tutorial server exited early (${code})`)));
  });
}

interface Naive {
  ws: WebSocket;
  received: string[];
  closed: Promise<RawClose>;
}

async function connect(url: string): Promise<Naive> {
  const ws = new WebSocket(url);
  const received: string[] = [];
  ws.on('message', (data) => received.push(String(data)));
  ws.on('error', () => {});
  const closed = new Promise<RawClose>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve) => ws.once('open', resolve));
  return { ws, received, closed };
}

const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the tutorial design (docs/course/naive)', () => {
  it('never tells anyone that a user left, and gives a newcomer no snapshot', async () => {
    const { url } = await startTutorial();
    const leaver = await connect(url);
    const stayer = await connect(url);
    leaver.ws.send(JSON.stringify({ x: 10, y: 20 }));
    await waitFor(() => stayer.received.length === 1, 'the move to arrive');

    leaver.ws.close();
    await leaver.closed;
    const newcomer = await connect(url);
    await quiet(500);
    // The stayer still shows the leaver's cursor at (10, 20): nothing ever said it is gone.
    expect(stayer.received).toEqual(['{"id":1,"x":10,"y":20}']);
    // The newcomer is in a room with the stayer and has heard of nobody.
    expect(newcomer.received).toEqual([]);
  });

  it('dies of one malformed frame, and takes everyone with it', async () => {
    const { url, exited } = await startTutorial();
    const bystander = await connect(url);
    const offender = await connect(url);
    offender.ws.send('{');
    expect(await exited).not.toBe(0);
    // No close frame: the process is gone, so the bystander's connection just drops.
    expect((await bystander.closed).code).toBe(1006);
  });
});
