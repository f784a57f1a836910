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
import { TokenBucket } from './rate-limit.ts';
import type { RoomRegistry, Seat } from './rooms/registry.ts';
import type { Link } from './rooms/room.ts';
import type { Peer, PeerHandler } from './transports/transport.ts';

/** Chat and reactions are for people, not scripts: a few a second is plenty. */
const CHAT_PER_SEC = 2;
const CHAT_BURST = 5;
const REACT_PER_SEC = 5;
const REACT_BURST = 10;

/**
 * One connection's life: wait for hello, then turn each valid message into a room action.
 * Any invalid frame ends the connection with the close code the decoder chose; once we have
 * decided to close, nothing more from this connection reaches the room.
 *
 * How it ends decides what others see: a goodbye, a clean close or a kick removes the user at
 * once; a connection that just drops keeps the user, shown offline, for the resume grace period.
 */
export function createSession(
  peer: Peer,
  rooms: RoomRegistry,
  config: ServerConfig,
  log: Logger,
): PeerHandler {
  let seat: Seat | null = null;
  let ended = false;
  const link: Link = { peer, kick: refuse };
  const rate = new TokenBucket(config.rateLimitPerSec, config.rateLimitBurst);
  const chatRate = new TokenBucket(CHAT_PER_SEC, CHAT_BURST);
  const reactRate = new TokenBucket(REACT_PER_SEC, REACT_BURST);

  const helloTimer = setTimeout(
    () => refuse(CloseCode.HelloTimeout, 'no hello in time'),
    config.helloTimeoutMs,
  );

  function end(how: 'leave' | 'drop'): void {
    if (ended) return;
    ended = true;
    clearTimeout(helloTimer);
    if (!seat) return;
    if (how === 'leave') rooms.leave(seat, link);
    else rooms.drop(seat, link);
    log.info({ room: seat.room.name, user: seat.member.user.id, how }, 'left');
    seat = null;
  }

  function refuse(code: number, reason: string): void {
    if (ended) return;
    log.info({ code, reason, transport: peer.transport, ip: peer.remoteAddress }, 'closing');
    end('leave');
    peer.close(code, reason);
  }

  function onFrame(frame: Frame): void {
    if (ended) return;
    // Counted before decoding, so a flood costs us as little as possible.
    if (!rate.take()) {
      if (rate.abusive) refuse(CloseCode.PolicyViolation, 'rate limit exceeded');
      return;
    }
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
      const joined = rooms.join(msg.room, link, msg.name, msg.resume);
      seat = joined;
      log.info(
        {
          room: msg.room,
          user: joined.member.user.id,
          transport: peer.transport,
          resumed: joined.resumed,
        },
        'joined',
      );
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
      case 'state':
        room.setState(member, msg.state);
        break;
      case 'pointer':
        room.setPointer(member, { kind: msg.kind, pressed: msg.pressed });
        break;
      case 'view':
        room.setView(member, msg.view);
        break;
      case 'chat':
        if (chatRate.take()) room.relay(member, msg);
        break;
      case 'react':
        if (reactRate.take()) room.relay(member, msg);
        break;
      case 'bye':
        end('leave');
        peer.close(CloseCode.Normal, 'bye');
        break;
    }
  }

  return { onFrame, onClose: (clean) => end(clean ? 'leave' : 'drop') };
}
