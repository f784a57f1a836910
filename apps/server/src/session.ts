import {
  type ClientMessage,
  CloseCode,
  decodeClientFrame,
  encodeJson,
  type Frame,
  MESSAGE_RATES,
  type MessageRate,
  MIN_PROTOCOL_VERSION,
  PRESENCE_WRITE_RATE,
  PROTOCOL_VERSION,
  rateOf,
  type ServerJson,
  type StallClock,
  TokenBucket,
} from '@cursorline/protocol';
import type { ServerConfig } from './config.ts';
import type { Logger } from './log.ts';
import { type Act, handle } from './message-handlers.ts';
import type { Link } from './rooms/member.ts';
import type { RoomRegistry, Seat } from './rooms/registry.ts';
import type { Connection, ConnectionHandler } from './transports/transport.ts';

/** `{"t":"bye"}` with room for whitespace and extra fields a client might add. */
const BYE_MAX_LENGTH = 64;
const isBye = (frame: string) => {
  const decoded = decodeClientFrame(frame);
  return decoded.ok && decoded.msg.t === 'bye';
};
const UNSUPPORTED_VERSION = `unsupported protocol version; server speaks ${MIN_PROTOCOL_VERSION}-${PROTOCOL_VERSION}`;
/** Only presence writes are applied past their limit (`over: 'apply'`); a loop of them ends here. */
const OVER_APPLY_LIMIT = 'too many presence changes; slow down';

/**
 * One bucket per distinct limit of MESSAGE_RATES (messages that share a limit share its object,
 * and so one bucket); the presence writes' limit is configurable (PRESENCE_RATE, PRESENCE_BURST).
 */
function messageBuckets(
  config: ServerConfig,
  stalls: StallClock | undefined,
): Map<MessageRate, TokenBucket> {
  const buckets = new Map<MessageRate, TokenBucket>();
  for (const rate of Object.values(MESSAGE_RATES)) {
    if (buckets.has(rate)) continue;
    const { perSec, burst } =
      rate === PRESENCE_WRITE_RATE
        ? { perSec: config.presenceRatePerSec, burst: config.presenceBurst }
        : rate;
    buckets.set(rate, new TokenBucket(perSec, burst, undefined, stalls));
  }
  return buckets;
}

/**
 * One connection's life: wait for hello, then turn each valid message into a room action.
 * Any invalid frame ends the connection with the close code the decoder chose; once we have
 * decided to close, nothing more from this connection reaches the room.
 *
 * How it ends decides what others see: a goodbye, a clean close or a kick removes the user at
 * once; a connection that just drops keeps the user, shown offline, for the resume grace period.
 */
export function createSession(
  connection: Connection,
  rooms: RoomRegistry,
  config: ServerConfig,
  log: Logger,
  stalls?: StallClock,
): ConnectionHandler {
  let seat: Seat | null = null;
  /** The seat as handlers see it (with this connection's ways to answer); set once seated. */
  let actor: Act | null = null;
  let ended = false;
  /** Looking for a resumed seat on the other nodes: frames wait (the client waits for welcome). */
  let lookingUp = false;
  const link: Link = { connection, kick: refuse };
  const rate = new TokenBucket(config.rateLimitPerSec, config.rateLimitBurst, undefined, stalls);
  const buckets = messageBuckets(config, stalls);

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
    actor = null;
  }

  /**
   * Closes this connection. The reason must be fixed text (never the client's input). How the
   * user goes: at once, except after "slow down", which keeps the seat for a resume like a drop
   * (the client comes back after a cool-down; an honest one that was merely fast loses nothing).
   */
  function refuse(code: number, reason: string): void {
    if (ended) return;
    log.info(
      { code, reason, transport: connection.transport, ip: connection.remoteAddress },
      'closing',
    );
    end(code === CloseCode.SlowDown ? 'drop' : 'leave');
    connection.close(code, reason);
  }

  function onFrame(frame: Frame): void {
    if (ended || lookingUp) return;
    // Counted before decoding, so a flood costs us as little as possible.
    if (!rate.take()) {
      if (rate.abusive) refuse(CloseCode.SlowDown, 'rate limit exceeded; slow down');
      // A goodbye is never dropped: leaving costs the room less than staying. Only a frame that
      // short is looked at, so a flood still costs no decoding.
      else if (typeof frame === 'string' && frame.length <= BYE_MAX_LENGTH && isBye(frame)) leave();
      return;
    }
    const decoded = decodeClientFrame(frame);
    if (!decoded.ok) {
      refuse(decoded.code, decoded.reason);
      return;
    }
    const msg = decoded.msg;
    if (actor) {
      act(actor, msg);
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
    actor = { room: joined.room, member: joined.member, reply, leave, refuse };
    log.info(
      {
        room: joined.room.name,
        user: joined.member.user.id,
        transport: connection.transport,
        resumed: joined.resumed,
      },
      'joined',
    );
  }

  /** A message from a user already in a room: its limit first, then its handler. */
  function act(seated: Act, msg: ClientMessage): void {
    const limit = rateOf(msg.t);
    const bucket = limit && buckets.get(limit);
    if (limit && bucket && !bucket.take()) {
      // Over a `drop` limit the message is ignored, not punished (a person clicking fast; the
      // client asks again on its next need). Over an `apply` limit it is still applied (latest
      // wins, sent once per tick), and only a client writing in a loop is closed.
      if (limit.over === 'drop') return;
      if (bucket.abusive) {
        refuse(CloseCode.SlowDown, OVER_APPLY_LIMIT);
        return;
      }
    }
    handle(seated, msg);
  }

  function reply(msg: ServerJson): void {
    connection.send(encodeJson(msg));
  }

  function leave(): void {
    end('leave');
    connection.close(CloseCode.Normal, 'bye');
  }

  return { onFrame, onClose: (clean) => end(clean ? 'leave' : 'drop') };
}
