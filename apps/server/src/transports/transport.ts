import type { Frame } from '@cursorline/protocol';
import type { TransportName } from '../config.ts';

/**
 * The whole contract between a transport and the rest of the server. Rooms and sessions only
 * ever see a Peer; they never learn whether it is a raw WebSocket or a SockJS session.
 */
export interface Peer {
  readonly transport: TransportName;
  /** Cursor batches come in the form this peer can carry: binary on ws, text on SockJS. */
  readonly format: 'binary' | 'text';
  readonly remoteAddress: string;
  send(frame: Frame): void;
  /** Bytes queued for this peer and not yet handed to the kernel. */
  bufferedBytes(): number;
  close(code: number, reason: string): void;
}

/** What a transport calls as things happen on a connection it accepted. */
export interface PeerHandler {
  onFrame(frame: Frame): void;
  onClose(): void;
}

/** Given by the server to each transport: turns a new Peer into its handler. */
export type Accept = (peer: Peer) => PeerHandler;
