import { SOCKJS_TRANSPORTS, type SockjsTransport, type TransportChoice } from '@cursorline/client';
import { isTransportName, RoomSchema } from '@cursorline/protocol';
import { randomRoomName } from './room-name.ts';

export interface PageParams {
  room: string;
  /** True when the address named no usable room and `room` was made up for this visit. */
  roomIsNew: boolean;
  /** `auto` unless the address forces one. */
  transport: TransportChoice;
  /** Set when the page forces one SockJS fallback, e.g. ?sockjs=xhr-polling. */
  sockjsTransports?: SockjsTransport[];
}

function isSockjsTransport(value: string | null): value is SockjsTransport {
  return SOCKJS_TRANSPORTS.some((t) => t === value);
}

/**
 * Reads ?room=…&transport=<name>|auto&sockjs=<fallback> from a query string (the names: TRANSPORTS
 * in the protocol package). Anything invalid falls
 * back rather than failing: a mistyped link should still open a working page. A missing or bad
 * room gets a fresh generated name, not a shared default: two strangers who open the bare
 * address should not land in each other's room.
 */
export function readParams(search: string, newRoom: () => string = randomRoomName): PageParams {
  const params = new URLSearchParams(search);
  const parsedRoom = RoomSchema.safeParse(params.get('room'));
  const room = parsedRoom.success ? parsedRoom.data : newRoom();
  const roomIsNew = !parsedRoom.success;

  const forced = params.get('sockjs');
  if (isSockjsTransport(forced)) {
    return { room, roomIsNew, transport: 'sockjs', sockjsTransports: [forced] };
  }
  const asked = params.get('transport');
  const transport = isTransportName(asked) ? asked : 'auto';
  return { room, roomIsNew, transport };
}

/** The same address with ?room= set (other parameters kept), for history.replaceState. */
export function withRoom(href: string, room: string): string {
  const url = new URL(href);
  url.searchParams.set('room', room);
  return url.toString();
}

/**
 * The link to give others: the room only. Transport choices are this browser's business (a
 * forced fallback would only slow the friend down), so they are left out.
 */
export function shareLink(href: string, room: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}?room=${encodeURIComponent(room)}`;
}
