import { encodeMoveBinary, PROTOCOL_VERSION } from '@cursorline/protocol';
import { WebSocket } from 'ws';

/**
 * Raw WebSocket users for crowd tests, the render benchmark and the screenshots: each says
 * hello with a name, then moves along its own slow Lissajous curve when told to. Raw sockets,
 * not PresenceClients, so a hundred of them cost the test machine next to nothing.
 */
export interface Bot {
  ws: WebSocket;
  send(message: object): void;
}

export function openBot(wsUrl: string, room: string, name: string): Promise<Bot> {
  const ws = new WebSocket(wsUrl);
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room, name }));
      resolve({ ws, send: (message) => ws.send(JSON.stringify(message)) });
    });
    ws.once('error', reject);
  });
}

/** `count` bots in `room`, opened fifty at a time (a burst of a thousand handshakes is not one). */
export async function openCrowd(
  wsUrl: string,
  room: string,
  count: number,
  name: (i: number) => string = (i) => `Bot ${i + 1}`,
): Promise<Bot[]> {
  const bots: Bot[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, k) =>
      openBot(wsUrl, room, name(i + k)),
    );
    bots.push(...(await Promise.all(batch)));
  }
  return bots;
}

/** Where bot `i` is at time `t` (seconds), in board units: spread over the whole board. */
export function position(i: number, t: number): { x: number; y: number } {
  const a = 0.2 + (i % 7) * 0.05;
  const b = 0.15 + (i % 5) * 0.04;
  return {
    x: Math.round(800 + 700 * Math.sin(a * t + i)),
    y: Math.round(500 + 450 * Math.sin(b * t * 1.3 + i * 2)),
  };
}

export function moveBot(bot: Bot, at: { x: number; y: number }): void {
  bot.ws.send(encodeMoveBinary(at));
}

/** Moves every bot along its curve at `rate` Hz until the returned function is called. */
export function keepMoving(bots: readonly Bot[], rate: number): () => void {
  const started = performance.now();
  const timer = setInterval(() => {
    const t = (performance.now() - started) / 1000;
    for (const [i, bot] of bots.entries()) moveBot(bot, position(i, t));
  }, 1000 / rate);
  return () => clearInterval(timer);
}

export function closeCrowd(bots: readonly Bot[]): void {
  for (const bot of bots) bot.ws.terminate();
}
