import type { Frame } from '@cursorline/protocol';
import type { ServerConfig, TransportName } from '../config.ts';
import type { ConnectionLimits } from '../connection-limits.ts';
import type { Logger } from '../log.ts';

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
  /**
   * The connection is gone. `clean`: the client said so itself (a close frame with 1000 or
   * 1001), so it is leaving; otherwise it dropped and may come back to resume.
   */
  onClose(clean: boolean): void;
}

/** Given by the server to each transport: turns a new Peer into its handler. */
export type Accept = (peer: Peer) => PeerHandler;

/** What the server gives each transport. */
export interface TransportContext {
  config: ServerConfig;
  accept: Accept;
  log: Logger;
  limits: ConnectionLimits;
  /** Called when the limits turn a connection away. */
  onRefused: () => void;
}
