import type { ServerConfig } from '../config.ts';
import type { Link } from '../rooms/member.ts';
import type { RoomRegistry, Seat } from '../rooms/registry.ts';
import type { Connection } from '../transports/transport.ts';
import { AmbientPath } from './ambient-path.ts';

const NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Linus',
];
/** 10 moves a second: the page glides between them, and it costs the server next to nothing. */
const STEP_MS = 100;

/**
 * Demo-site mode: a few server-side ambient users per demo room, so a lone visitor of a public
 * demo sees cursors move. They sit in the room like any user (same rooms, same batching, same
 * backplane) but have no connection: what is sent to them is dropped. Everyone sees them with
 * `bot: true`, which only the server can set. Off unless DEMO_BOTS > 0.
 */
export function startDemoBots(
  rooms: RoomRegistry,
  config: Pick<ServerConfig, 'demoBots' | 'demoRooms'>,
): { stop(): void } {
  const bots: { seat: Seat; path: AmbientPath }[] = [];
  const nowhere: Connection = {
    transport: 'ws',
    format: 'text',
    remoteAddress: 'demo',
    send: () => {},
    bufferedBytes: () => 0,
    close: () => {},
  };
  const link: Link = { connection: nowhere, kick: () => {} };
  for (const room of config.demoRooms) {
    for (let i = 0; i < config.demoBots; i++) {
      const name = NAMES[i % NAMES.length] ?? 'Bot';
      const seat = rooms.join(room, link, name, undefined, true);
      // Bots take seats like anyone (address "demo"): a full room simply gets fewer of them.
      if (!('refused' in seat)) bots.push({ seat, path: new AmbientPath() });
    }
  }
  const timer = setInterval(() => {
    for (const { seat, path } of bots) seat.room.move(seat.member, path.step(STEP_MS));
  }, STEP_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      for (const { seat } of bots) rooms.leave(seat, link);
    },
  };
}
