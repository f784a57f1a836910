import type { Duplex } from 'node:stream';

/** Refuses an upgrade before any WebSocket handshake: the client sees a plain HTTP status. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
