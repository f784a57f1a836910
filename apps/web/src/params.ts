import { SOCKJS_TRANSPORTS, type SockjsTransport, type TransportName } from '@cursorline/client';
import { RoomSchema } from '@cursorline/protocol';

export interface PageParams {
  room: string;
  transport: TransportName;
  /** Set when the page forces one SockJS fallback, e.g. ?sockjs=xhr-polling. */
  sockjsTransports?: SockjsTransport[];
}

export const DEFAULT_ROOM = 'lobby';

function isSockjsTransport(value: string | null): value is SockjsTransport {
  return SOCKJS_TRANSPORTS.some((t) => t === value);
}

/**
 * Reads ?room=…&transport=ws|sockjs&sockjs=<fallback> from a query string. Anything invalid falls
 * back to the default rather than failing: a mistyped link should still open a working page, and
 * a bad room would only get the connection refused by the server.
 */
export function readParams(search: string): PageParams {
  const params = new URLSearchParams(search);
  const parsedRoom = RoomSchema.safeParse(params.get('room'));
  const room = parsedRoom.success ? parsedRoom.data : DEFAULT_ROOM;

  const forced = params.get('sockjs');
  if (isSockjsTransport(forced)) return { room, transport: 'sockjs', sockjsTransports: [forced] };

  const transport = params.get('transport') === 'sockjs' ? 'sockjs' : 'ws';
  return { room, transport };
}
