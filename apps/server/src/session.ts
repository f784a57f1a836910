import {
  type ClientMessage,
  CloseCode,
  decodeClientFrame,
  type Frame,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
} from '@cursorline/protocol';
import type { ServerConfig } from './config.ts';
import type { Logger } from './log.ts';
import type { RoomRegistry, Seat } from './rooms/registry.ts';
import type { Peer, PeerHandler } from './transports/transport.ts';

/**
 * One connection's life: wait for hello, then turn each valid message into a room action.
 * Any invalid frame ends the connection with the close code the decoder chose; once we have
 * decided to close, nothing more from this connection reaches the room.
 */
export function createSession(
  peer: Peer,
  rooms: RoomRegistry,
  config: ServerConfig,
  log: Logger,
): PeerHandler {
  let seat: Seat | null = null;
  let ended = false;

  const helloTimer = setTimeout(
    () => refuse(CloseCode.HelloTimeout, 'no hello in time'),
    config.helloTimeoutMs,
  );

  function end(): void {
    if (ended) return;
    ended = true;
    clearTimeout(helloTimer);
    if (seat) {
      rooms.leave(seat);
      log.info({ room: seat.room.name, user: seat.member.user.id }, 'left');
      seat = null;
    }
  }

  function refuse(code: number, reason: string): void {
    if (ended) return;
    log.info(
      { code, reason, transport: peer.transport, ip: peer.remoteAddress },
      'closing connection',
    );
    end();
    peer.close(code, reason);
  }

  function onFrame(frame: Frame): void {
    if (ended) return;
    const decoded = decodeClientFrame(frame);
    if (!decoded.ok) {
      refuse(decoded.code, decoded.reason);
      return;
    }
    const msg = decoded.msg;
    if (seat) {
      act(seat, msg);
      return;
    }
    if (msg.t !== 'hello') {
      refuse(CloseCode.PolicyViolation, 'first message must be hello');
    } else if (msg.v < MIN_PROTOCOL_VERSION || msg.v > PROTOCOL_VERSION) {
      const range = `${MIN_PROTOCOL_VERSION}-${PROTOCOL_VERSION}`;
      refuse(
        CloseCode.UnsupportedVersion,
        `protocol version ${msg.v} unsupported; server speaks ${range}`,
      );
    } else {
      clearTimeout(helloTimer);
      seat = rooms.join(msg.room, peer, msg.name, refuse);
      log.info({ room: msg.room, user: seat.member.user.id, transport: peer.transport }, 'joined');
    }
  }

  /** A message from a user already in a room. */
  function act({ room, member }: Seat, msg: ClientMessage): void {
    switch (msg.t) {
      case 'hello':
        refuse(CloseCode.PolicyViolation, 'hello sent twice');
        break;
      case 'cursor':
        room.move(member, msg.at);
        break;
      case 'name':
        room.rename(member, msg.name);
        break;
    }
  }

  return { onFrame, onClose: end };
}
