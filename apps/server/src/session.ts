import {
  type ClientMessage,
  CloseCode,
  decodeClientFrame,
  encodeJson,
  type Frame,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  ROSTER_PAGE_USERS,
} from '@cursorline/protocol';
import type { ServerConfig } from './config.ts';
import type { Logger } from './log.ts';
import { type StallClock, TokenBucket } from './rate-limit.ts';
import type { RoomRegistry, Seat } from './rooms/registry.ts';
import type { Link } from './rooms/room.ts';
import type { Peer, PeerHandler } from './transports/transport.ts';

const PRESENCE_WRITES: ReadonlySet<string> = new Set(['name', 'state', 'pointer', 'view']);
/** `{"t":"bye"}` with room for whitespace and extra fields a client might add. */
const BYE_MAX_LENGTH = 64;
const isBye = (frame: string) => {
  const decoded = decodeClientFrame(frame);
  return decoded.ok && decoded.msg.t === 'bye';
};
const UNSUPPORTED_VERSION = `unsupported protocol version; server speaks ${MIN_PROTOCOL_VERSION}-${PROTOCOL_VERSION}`;

/** Chat and reactions are for people, not scripts: a few a second is plenty. */
const CHAT_PER_SEC = 2;
const CHAT_BURST = 5;
const REACT_PER_SEC = 5;
const REACT_BURST = 10;
/** `who` answers cost a sort of the room: a page a second is plenty for a scrolling list. */
const WHO_PER_SEC = 2;
const WHO_BURST = 5;

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
  stalls?: StallClock,
): PeerHandler {
  let seat: Seat | null = null;
  let ended = false;
  /** Looking for a resumed seat on the other nodes: frames wait (the client waits for welcome). */
  let lookingUp = false;
  const link: Link = { peer, kick: refuse };
  const rate = new TokenBucket(config.rateLimitPerSec, config.rateLimitBurst, stalls);
  const presenceRate = new TokenBucket(config.presenceRatePerSec, config.presenceBurst, stalls);
  const chatRate = new TokenBucket(CHAT_PER_SEC, CHAT_BURST, stalls);
  const reactRate = new TokenBucket(REACT_PER_SEC, REACT_BURST, stalls);
  const whoRate = new TokenBucket(WHO_PER_SEC, WHO_BURST, stalls);

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

  /**
   * Closes this connection. The reason must be fixed text (never the client's input). How the
   * user goes: at once, except after "slow down", which keeps the seat for a resume like a drop
   * (the client comes back after a cool-down; an honest one that was merely fast loses nothing).
   */
  function refuse(code: number, reason: string): void {
    if (ended) return;
    log.info({ code, reason, transport: peer.transport, ip: peer.remoteAddress }, 'closing');
    end(code === CloseCode.SlowDown ? 'drop' : 'leave');
    peer.close(code, reason);
  }

  function onFrame(frame: Frame): void {
    if (ended || lookingUp) return;
    // Counted before decoding, so a flood costs us as little as possible.
    if (!rate.take()) {
      if (rate.abusive) refuse(CloseCode.SlowDown, 'rate limit exceeded; slow down');
      // A goodbye is never dropped: leaving costs the room less than staying. Only a frame that
      // short is looked at, so a flood still costs no decoding.
      else if (typeof frame === 'string' && frame.length <= BYE_MAX_LENGTH && isBye(frame)) {
        end('leave');
        peer.close(CloseCode.Normal, 'bye');
      }
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
      refuse(CloseCode.UnsupportedVersion, UNSUPPORTED_VERSION);
    } else {
      clearTimeout(helloTimer);
      const { room, name, resume } = msg;
      if (resume !== undefined && !rooms.holds(resume) && rooms.sharesSeats) {
        // Maybe a seat another node holds for this user (it dropped there): ask before joining.
        lookingUp = true;
        rooms
          .joinHeldElsewhere(room, link, name, resume)
          .then(
            (found) => {
              lookingUp = false;
              seated(found ?? rooms.join(room, link, name));
            },
            (err: unknown) => {
              lookingUp = false;
              log.warn({ err: (err as Error).message }, 'seat lookup failed');
              seated(rooms.join(room, link, name));
            },
          )
          // Outside the transport's error boundary (a later turn): the same rule by hand.
          .catch((err: unknown) => {
            log.error({ err }, 'error while seating a resumed user; closing the connection');
            refuse(CloseCode.InternalError, 'internal error');
          });
        return;
      }
      seated(rooms.join(room, link, name, resume));
    }
  }

  function seated(joined: ReturnType<RoomRegistry['join']>): void {
    if ('refused' in joined) {
      refuse(joined.refused.code, joined.refused.reason);
      return;
    }
    if (ended) {
      // The connection went away while we looked the seat up: give it back as a drop would.
      rooms.drop(joined, link);
      return;
    }
    seat = joined;
    log.info(
      {
        room: joined.room.name,
        user: joined.member.user.id,
        transport: peer.transport,
        resumed: joined.resumed,
      },
      'joined',
    );
  }

  /** A message from a user already in a room. */
  function act({ room, member }: Seat, msg: ClientMessage): void {
    // Presence writes are cheap to apply (latest wins, sent once per tick), so we apply them all;
    // their own limit only catches a client that writes them in a loop.
    if (PRESENCE_WRITES.has(msg.t) && !presenceRate.take() && presenceRate.abusive) {
      refuse(CloseCode.SlowDown, 'too many presence changes; slow down');
      return;
    }
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
      case 'follow':
        room.follow(member, msg.id);
        break;
      case 'who':
        // Over the rate it is ignored, not punished: the client asks again on its next need.
        if (whoRate.take())
          peer.send(encodeJson(room.roster(msg.ids, msg.after, ROSTER_PAGE_USERS)));
        break;
      case 'bye':
        end('leave');
        peer.close(CloseCode.Normal, 'bye');
        break;
    }
  }

  return { onFrame, onClose: (clean) => end(clean ? 'leave' : 'drop') };
}
