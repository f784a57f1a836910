import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

// sockjs 0.3.24 has `middleware()` (a handler that returns true when it served the request)
// but @types/sockjs does not declare it.
declare module 'sockjs' {
  interface Server {
    middleware(): (req: IncomingMessage, res: ServerResponse | Duplex, head?: Buffer) => boolean;
  }
}
