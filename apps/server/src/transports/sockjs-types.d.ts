import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

type Handle = (req: IncomingMessage, res: ServerResponse | Duplex, head?: Buffer) => boolean;

// sockjs 0.3.24 has `middleware()` (a handler that returns true when it served the request) and
// `listener()` (the object behind it, whose app holds the route handlers), undeclared in
// @types/sockjs.
declare module 'sockjs' {
  interface Server {
    middleware(): Handle;
    listener(): {
      /** Route handlers by name, e.g. xhr_send(req, res, data, next). */
      app: Record<string, (req: unknown, res: unknown, data: unknown, next: unknown) => unknown>;
      getHandler(): Handle;
    };
  }
}
