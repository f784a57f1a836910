/**
 * Headers for the page we serve. The Content-Security-Policy allows scripts, styles and
 * connections only from our own origin (the page talks to /ws and /sockjs on it; `'self'` covers
 * ws: and wss: of the same host), nothing inline, no plugins; the page may be framed only by
 * itself and the origins that are allowed to connect anyway.
 */
export function pageHeaders(allowedOrigins: readonly string[]): [string, string][] {
  const framers = ["'self'", ...allowedOrigins].join(' ');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${framers}`,
  ].join('; ');
  return [
    ['Content-Security-Policy', csp],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'same-origin'],
    // For browsers that predate frame-ancestors; it cannot list origins, so only with none.
    ...(allowedOrigins.length === 0 ? [['X-Frame-Options', 'SAMEORIGIN'] as [string, string]] : []),
  ];
}
