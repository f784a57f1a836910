import {
  BATCH_ENTRY_BYTES,
  BATCH_ENTRY_CHARS,
  BINARY_BATCH,
  type CursorUpdate,
  decodeServerFrame,
  encodeJson,
  encodeMoveBinary,
  encodeMoveText,
  type Frame,
  PROTOCOL_VERSION,
  TEXT_BATCH,
  TRANSPORTS,
  type TransportName,
} from '@cursorline/protocol';
import { type RawData, WebSocket } from 'ws';
import { MOVE_CYCLE, moveOfPoint, pointOfMove } from './move-code.ts';
import type { Random } from './rng.ts';
import {
  countSingleBatch,
  encodeSockjsMessages,
  parseSockjsFrame,
  sockjsWebSocketUrl,
} from './sockjs-wire.ts';
import type { GoneHow, Sender, World } from './world.ts';

/** The shipped transports (the protocol's TRANSPORTS); this file speaks each one's wire by hand. */
export type Transport = TransportName;

export interface SimUserOptions {
  index: number;
  /** The http base URL of the server (node) this user connects to. */
  url: string;
  /** Which node that is (0 with a single server): latency is split into same- and cross-node. */
  node: number;
  room: string;
  transport: Transport;
  /** Observers decode every frame to measure latency and freshness; others only count. */
  observer: boolean;
  moving: boolean;
  /** A passive member of an audience: says it is idle or away (tab hidden) once welcomed. */
  state?: 'idle' | 'away';
  world: World;
  random: Random;
}

const CONNECT_TIMEOUT_MS = 15_000;

/** Heard again within this: a full-rate cursor (ticks are 40 ms; the low rate is ~1 s). */
const FULL_RATE_GAP_MS = 250;

/** Bytes of the WebSocket header in front of a server (unmasked) frame of this payload size. */
function headerBytes(payload: number): number {
  return payload < 126 ? 2 : payload < 65536 ? 4 : 10;
}

/**
 * One simulated user on a raw connection: `ws` speaking the Cursorline protocol directly, or `ws`
 * speaking SockJS's websocket framing (see sockjs-wire.ts). It sends compact moves when the
 * MoveDriver says so and, unless it is an observer, does no more per received frame than add to
 * counters. That is what lets one process play hundreds of users.
 */
export class SimUser implements Sender {
  readonly index: number;
  readonly room: string;
  readonly node: number;
  readonly transport: Transport;
  readonly observer: boolean;
  id = 0;
  moving: boolean;
  gone = false;
  goneAt = Number.NaN;
  goneHow: GoneHow | undefined;
  /** When the driver should send this user's next move (performance.now() time). */
  nextSendAt = 0;
  /** For observers: per sender index, when the newest position we hold of it was sent. */
  readonly held: Float64Array | null;
  /**
   * For observers: per sender index, when we last heard of it, and whether it comes at full rate
   * (heard twice within FULL_RATE_GAP_MS). With interest management (protocol v3) a crowded
   * room's other cursors come about once a second; freshness is judged separately for the two.
   */
  readonly heardAt: Float64Array | null;
  readonly fullRate: Uint8Array | null;
  private readonly state: 'idle' | 'away' | undefined;
  /** How the connection ended, if it has. */
  closed: { code: number; at: number } | null = null;
  /** Whether it has stopped reading (the stalled-client scenario). */
  stalled = false;

  private readonly socket: WebSocket;
  private readonly world: World;
  private readonly onWelcome: () => void;
  private readonly onFail: (reason: string) => void;
  private move: number;
  private welcomed = false;
  private lastBatchAt = Number.NaN;

  private constructor(
    options: SimUserOptions,
    onWelcome: () => void,
    onFail: (reason: string) => void,
  ) {
    this.index = options.index;
    this.room = options.room;
    this.node = options.node;
    this.transport = options.transport;
    this.observer = options.observer;
    this.moving = options.moving;
    this.state = options.state;
    this.world = options.world;
    this.held = options.observer
      ? new Float64Array(options.world.userCount).fill(Number.NaN)
      : null;
    this.heardAt = options.observer
      ? new Float64Array(options.world.userCount).fill(Number.NEGATIVE_INFINITY)
      : null;
    this.fullRate = options.observer ? new Uint8Array(options.world.userCount) : null;
    this.move = Math.floor(options.random() * MOVE_CYCLE); // users start at different points
    this.onWelcome = onWelcome;
    this.onFail = onFail;

    const sockjs = options.transport === 'sockjs';
    const url = sockjs
      ? sockjsWebSocketUrl(options.url, options.random)
      : `${options.url.replace(/^http/, 'ws')}${TRANSPORTS.ws.path}`;
    this.socket = new WebSocket(url, {
      // The server never compresses; not offering it saves a negotiation and per-frame checks.
      perMessageDeflate: false,
      // Non-observers never look inside frames, so checking their UTF-8 would be wasted work.
      skipUTF8Validation: !options.observer,
    });
    if (!sockjs) this.socket.on('open', () => this.sendHello());
    this.socket.on('message', (data: RawData, isBinary: boolean) => {
      // With the default binaryType every message arrives as one Buffer.
      if (Buffer.isBuffer(data)) this.onMessage(data, isBinary);
    });
    this.socket.on('close', (code) => this.onClose(code));
    this.socket.on('error', () => {}); // 'close' follows and records what happened
  }

  /** Connects, says hello, and resolves once the server has welcomed us into the room. */
  static connect(options: SimUserOptions): Promise<SimUser> {
    return new Promise((resolve, reject) => {
      const fail = (reason: string) => {
        clearTimeout(timer);
        user.terminate();
        reject(new Error(`user ${options.index}: ${reason}`));
      };
      const timer = setTimeout(
        () => fail(`no welcome within ${CONNECT_TIMEOUT_MS} ms`),
        CONNECT_TIMEOUT_MS,
      );
      const user: SimUser = new SimUser(
        options,
        () => {
          clearTimeout(timer);
          resolve(user);
        },
        fail,
      );
      user.socket.once('close', (code, reason) => {
        if (!user.welcomed) fail(`closed (${code} ${String(reason)}) before welcome`);
      });
    });
  }

  /** Sends the next position of this user's sweep and notes when it left (see move-code.ts). */
  sendMove(now: number): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    const move = this.move;
    this.move = (move + 1) % MOVE_CYCLE;
    const at = pointOfMove(move);
    // Into the World's shared send log, where observers on either thread look it up.
    this.world.sent.record(this.index, moveOfPoint(at), now);
    if (this.transport === 'ws') this.socket.send(encodeMoveBinary(at));
    else this.socket.send(encodeSockjsMessages([encodeMoveText(at)]));
    return true;
  }

  sentAt(move: number): number | undefined {
    return this.world.sent.sentAt(this.index, move);
  }

  get firstSentAt(): number {
    return this.world.sent.firstSentAt(this.index);
  }

  /** Stops reading from the socket, like a frozen tab: the server's queue for us can only grow. */
  stall(): void {
    this.stalled = true;
    this.socket.pause();
  }

  resume(): void {
    this.stalled = false;
    this.socket.resume();
  }

  /** Drops the connection at once, as a crashed client or a dead network would. */
  terminate(): void {
    this.socket.terminate();
  }

  /** Leaves properly (close 1000): the server removes the user at once. */
  close(): void {
    this.socket.close(1000);
  }

  private sendHello(): void {
    const hello = encodeJson({
      t: 'hello',
      v: PROTOCOL_VERSION,
      room: this.room,
      name: `sim ${this.index}`,
    });
    this.socket.send(this.transport === 'ws' ? hello : encodeSockjsMessages([hello]));
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const traffic = this.world.traffic;
    traffic.frames++;
    traffic.bytes += data.length;
    if (this.moving) traffic.movingBytes += data.length;
    traffic.framedBytes += data.length + headerBytes(data.length);

    if (this.transport === 'ws') {
      if (isBinary) {
        if (this.observer)
          this.onFrame(new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.length));
        else if (data[0] === BINARY_BATCH) traffic.updates += (data.length - 1) / BATCH_ENTRY_BYTES;
        return;
      }
      // Text: JSON (welcome, join, leave). Only observers and not-yet-welcomed users care.
      if (this.observer || !this.welcomed) this.onFrame(data.toString('utf8'));
      return;
    }

    if (!this.observer && this.welcomed) {
      const n = countSingleBatch(data);
      if (n !== undefined) {
        traffic.updates += n;
        return;
      }
    }
    const frame = parseSockjsFrame(data.toString('utf8'));
    if (frame.kind === 'open') this.sendHello();
    else if (frame.kind === 'messages') {
      for (const message of frame.messages) {
        if (this.observer || !this.welcomed) this.onFrame(message);
        else if (message[0] === TEXT_BATCH)
          traffic.updates += (message.length - 1) / BATCH_ENTRY_CHARS;
      }
    }
  }

  /** A whole protocol message, decoded and checked exactly as the real client does. */
  private onFrame(frame: Frame): void {
    const decoded = decodeServerFrame(frame);
    if (!decoded.ok) {
      // A server bug (or a server built from other protocol sources than ours), not a load
      // effect: counted and reported, and before the welcome it fails the connection.
      this.world.badFrames++;
      if (!this.welcomed) this.onFail(`bad frame from server: ${decoded.reason}`);
      return;
    }
    const msg = decoded.msg;
    if (msg.t === 'welcome') {
      this.id = msg.self.id;
      this.welcomed = true;
      this.world.byId.set(this.id, this);
      if (this.state) {
        const msg = encodeJson({ t: 'state', state: this.state });
        this.socket.send(this.transport === 'ws' ? msg : encodeSockjsMessages([msg]));
      }
      this.onWelcome();
    } else if (msg.t === 'cursors') {
      this.world.traffic.updates += msg.moves.length;
      if (this.observer) this.observe(msg.moves, this.world.now());
    } else if (msg.t === 'changes') {
      for (const id of msg.left ?? []) this.world.markGone(id, 'leave');
      // Dropped, and shown offline while the server waits for it to resume: its moves have
      // stopped, so nobody should count it as stale.
      for (const { id, state } of msg.users)
        if (state === 'offline') this.world.markGone(id, 'offline');
    }
  }

  /** Latency of each update we can match to its send, and what we now hold of each sender. */
  private observe(moves: readonly CursorUpdate[], now: number): void {
    const held = this.held;
    if (!held) return;
    if (!Number.isNaN(this.lastBatchAt)) this.world.batchGap.record(now - this.lastBatchAt);
    this.lastBatchAt = now;
    this.world.batchPhase(this.node).add(now);
    for (const { id, at } of moves) {
      if (id === this.id || at === null) continue;
      const sender = this.world.byId.get(id);
      if (!sender) continue;
      const sentAt = sender.sentAt(moveOfPoint(at));
      if (sentAt === undefined) {
        this.world.unmatched++;
        continue;
      }
      this.world.recordLatency(now - sentAt, sender.node === this.node);
      held[sender.index] = sentAt;
      if (this.heardAt && this.fullRate) {
        const gap = now - (this.heardAt[sender.index] ?? Number.NEGATIVE_INFINITY);
        this.fullRate[sender.index] = gap < FULL_RATE_GAP_MS ? 1 : 0;
        this.heardAt[sender.index] = now;
      }
    }
  }

  private onClose(code: number): void {
    const now = this.world.now();
    this.closed = { code, at: now };
    if (!this.gone) {
      this.gone = true;
      this.goneAt = now;
      this.goneHow = 'closed';
    }
    this.world.onClosed?.(this, code, now);
  }
}
