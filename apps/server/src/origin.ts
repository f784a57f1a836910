import type { IncomingMessage } from 'node:http';

/**
 * Cross-site WebSocket hijacking defence: a browser always sends Origin on a WebSocket upgrade
 * and on cross-origin XHR, so a page on another site cannot use a visitor's browser to connect
 * unless its origin is listed. Requests without Origin come from non-browser clients (bots,
 * curl), which could forge it anyway; we let them through.
 */
export function isOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  // Same origin: the page was served by this host. Compare exactly, never by prefix or suffix.
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
