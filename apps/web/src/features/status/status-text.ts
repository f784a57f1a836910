import type { Status } from '@cursorline/client';
import { CloseCode } from '@cursorline/protocol';

export interface StatusInfo {
  status: Status;
  transport: string;
  /** Why the automatic choice is not raw WebSocket, e.g. "WebSocket blocked". */
  fallback?: string;
  closeReason: string;
  /** Close code of the last disconnect (some get words of their own). */
  closeCode?: number | null;
  /** While reconnecting: ms until the next attempt (0 once it is under way). */
  msLeft: number | null;
}

/** The one line the status badge shows. */
export function statusText(info: StatusInfo): string {
  const { status, transport, fallback, closeReason, closeCode, msLeft } = info;
  switch (status) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return fallback ? `Connected · ${transport} · ${fallback}` : `Connected · ${transport}`;
    case 'reconnecting': {
      // The server asked us to slow down: we wait out its cool-down, then pick up our seat.
      const why = closeCode === CloseCode.SlowDown ? 'Too many messages; ' : '';
      const when = msLeft ? `reconnecting in ${(msLeft / 1000).toFixed(1)} s…` : 'reconnecting…';
      return why ? why + when : when[0]?.toUpperCase() + when.slice(1);
    }
    case 'closed':
      if (closeCode === CloseCode.RoomFull) return 'This room is full: try another room';
      return closeReason ? `Disconnected: ${closeReason}` : 'Disconnected';
  }
}
