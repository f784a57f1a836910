import type { Status } from '@cursorline/client';

export interface StatusInfo {
  status: Status;
  transport: string;
  /** Why the automatic choice is not raw WebSocket, e.g. "WebSocket blocked". */
  fallback?: string;
  closeReason: string;
  /** While reconnecting: ms until the next attempt (0 once it is under way). */
  msLeft: number | null;
}

/** The one line the status badge shows. */
export function statusText({
  status,
  transport,
  fallback,
  closeReason,
  msLeft,
}: StatusInfo): string {
  switch (status) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return fallback ? `Connected · ${transport} · ${fallback}` : `Connected · ${transport}`;
    case 'reconnecting':
      return msLeft ? `Reconnecting in ${(msLeft / 1000).toFixed(1)} s…` : 'Reconnecting…';
    case 'closed':
      return closeReason ? `Disconnected: ${closeReason}` : 'Disconnected';
  }
}
