import {
  type CursorUpdate,
  decodeServerFrame,
  type Frame,
  type ServerMessage,
} from '@cursorline/protocol';
import type { Connection } from '../src/transports/transport.ts';

/** A test double of the real Connection interface that records what it was sent. */
export class FakeConnection implements Connection {
  readonly transport;
  readonly format;
  readonly remoteAddress = '127.0.0.1';
  readonly frames: Frame[] = [];
  buffered = 0;
  closedWith: number | undefined;
  constructor(format: 'binary' | 'text') {
    this.format = format;
    this.transport = format === 'binary' ? ('ws' as const) : ('sockjs' as const);
  }
  send(frame: Frame): void {
    this.frames.push(frame);
  }
  bufferedBytes(): number {
    return this.buffered;
  }
  close(code: number): void {
    this.closedWith = code;
  }
  messages(): ServerMessage[] {
    return this.frames.map((f) => {
      const decoded = decodeServerFrame(f);
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.msg;
    });
  }
  batches(): CursorUpdate[][] {
    return this.messages().flatMap((m) => (m.t === 'cursors' ? [m.moves] : []));
  }
  clear(): void {
    this.frames.length = 0;
  }
}
