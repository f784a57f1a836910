import type { IncomingMessage } from 'node:http';

/**
 * Cross-site WebSocket hijacking defence: a browser always sends Origin on a WebSocket upgrade
 * and on cross-origin XHR, so a page on another site cannot use a visitor's browser to connect
 * unless its origin is listed. Requests without Origin (and without a browser's
 * Sec-Fetch-Site saying another site) come from non-browser clients (bots, curl), which could
 * forge it anyway; we let them through.
 */
export function isOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    // A browser sends no Origin for a script tag or a frame (SockJS's jsonp and htmlfile), but
    // it does say where the request comes from: another site is refused here too.
    const site = req.headers['sec-fetch-site'];
    return site !== 'cross-site' && site !== 'same-site';
  }
  if (allowed.includes(origin)) return true;
  // Same origin: the page was served by this host. Compare exactly, never by prefix or suffix.
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
