import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Frame } from '@cursorline/protocol';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Admission } from './admission.ts';

/**
 * The whole contract between a transport and the rest of the server. Rooms and sessions only
 * ever see a Connection; they never learn whether it is a raw WebSocket or a SockJS session.
 */
export interface Connection {
  /** The transport's registered name: a label for metrics and logs, nothing decides on it. */
  readonly transport: string;
  /** Cursor batches come in the form this connection can carry: binary on ws, text on SockJS. */
  readonly format: 'binary' | 'text';
  readonly remoteAddress: string;
  send(frame: Frame): void;
  /** Bytes queued for this connection and not yet handed to the kernel. */
  bufferedBytes(): number;
  close(code: number, reason: string): void;
}

/** What a transport calls as things happen on a connection it accepted. */
export interface ConnectionHandler {
  onFrame(frame: Frame): void;
  /**
   * The connection is gone. `clean`: the client said so itself (a close frame with 1000 or
   * 1001), so it is leaving; otherwise it dropped and may come back to resume.
   */
  onClose(clean: boolean): void;
}

/** Given by the server to each transport: turns a new Connection into its handler. */
export type Accept = (connection: Connection) => ConnectionHandler;

/**
 * One server transport, as registered in registry.ts. Its name is the value TRANSPORTS takes,
 * the `transport` label on every metric and the name clients ask for: spelled once, here.
 */
export interface ServerTransport {
  readonly name: string;
  /** Called once per server, with what it may use; returns how the server reaches it. */
  attach(context: TransportContext): AttachedTransport;
}

/**
 * A transport either shares the server's HTTP listener (it answers the requests and upgrades
 * on its own paths and returns false for every other one, which the next transport gets) or
 * owns a listener of its own (`listen`), or both.
 */
export interface AttachedTransport {
  handleRequest?(req: IncomingMessage, res: ServerResponse): boolean;
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Starts the transport's own listener on this host; resolves with its port. */
  listen?(host: string): Promise<number>;
  /** Closes every connection with 1001 (the rooms have already let go) and stops listening. */
  close(): void | Promise<void>;
}

/** What the server gives each transport. */
export interface TransportContext {
  config: ServerConfig;
  log: Logger;
  /** The checks every transport runs on the way in: origin, connection caps, message size. */
  admission: Admission;
  /**
   * An HTTP server for a transport that owns its listener, with the protections of the main
   * one: the same timeouts, per-address socket caps, error boundary and 503 while shutting down.
   */
  createHttpServer(handlers: HttpHandlers): Server;
}

export interface HttpHandlers {
  onRequest(req: IncomingMessage, res: ServerResponse): void;
  /** Return false when the upgrade is not yours: the socket is then destroyed. */
  onUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}
