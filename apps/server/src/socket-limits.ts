import type { Socket } from 'node:net';

/**
 * Open TCP sockets per client address. The connection caps (connection-limits.ts) count
 * WebSockets and SockJS sessions; this counts every socket, including ones that never send a
 * request or idle between polls, so one address cannot hold thousands of half-open connections.
 *
 * Node's headers timeout only starts once a request has begun: a socket that sends nothing at
 * all would live forever. Until its first request (or upgrade) arrives, a socket here gets
 * `firstRequestMs` to send one.
 */
export class SocketLimits {
  private readonly open = new Map<string, number>();
  private readonly waiting = new WeakMap<Socket, () => void>();

  constructor(
    private readonly maxPerAddress: number,
    private readonly firstRequestMs: number,
  ) {}

  admit(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const n = this.open.get(address) ?? 0;
    if (n >= this.maxPerAddress) {
      socket.destroy();
      return;
    }
    this.open.set(address, n + 1);
    socket.once('close', () => {
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    });
    const silent = () => socket.destroy();
    socket.setTimeout(this.firstRequestMs);
    socket.once('timeout', silent);
    this.waiting.set(socket, silent);
  }

  /** The socket sent a request: from now on Node's own timeouts govern it. */
  used(socket: Socket): void {
    const silent = this.waiting.get(socket);
    if (!silent) return;
    this.waiting.delete(socket);
    socket.off('timeout', silent);
    socket.setTimeout(0);
  }
}
