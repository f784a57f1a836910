import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloseCode, closeReason } from '@cursorline/protocol';
import type {
  Connection,
  ConnectionHandler,
  ServerTransport,
} from '../../src/transports/transport.ts';

/**
 * The example of docs/recipes/add-a-transport.md: Server-Sent Events down, one POST per message
 * up, on a listener of its own. Nothing else in the server knows it exists.
 */
export const EVENTS_PATH = '/events';
export const SEND_PATH = '/send';

interface Stream {
  address: string;
  res: ServerResponse;
  connection: Connection;
  handler: ConnectionHandler;
}

export function sseTransport(port = 0): ServerTransport {
  return {
    name: 'sse',
    attach({ config, admission, createHttpServer }) {
      const streams = new Map<string, Stream>();

      function onRequest(req: IncomingMessage, res: ServerResponse): void {
        const url = new URL(req.url ?? '/', 'http://x');
        // The same origin rule as every transport, on every request (the stream and each send).
        if (!admission.originAllowed(req, 'sse')) {
          res.writeHead(403).end();
        } else if (url.pathname === EVENTS_PATH && req.method === 'GET') {
          openStream(req, res);
        } else if (url.pathname === SEND_PATH && req.method === 'POST') {
          receive(req, res, url.searchParams.get('id') ?? '');
        } else {
          res.writeHead(404).end();
        }
      }

      function openStream(req: IncomingMessage, res: ServerResponse): void {
        const address = req.socket.remoteAddress ?? '';
        const slot = admission.reserve(address);
        if (!slot) {
          res.writeHead(503).end();
          return;
        }
        // The stream's id is what the client's POSTs name; only the address that opened the
        // stream may send in it (an id seen elsewhere is no key).
        const id = randomUUID();
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write(`event: open\ndata: ${id}\n\n`);
        let ended = false;
        const connection: Connection = {
          transport: 'sse',
          format: 'text', // an event stream carries text: batches come in their text form
          remoteAddress: address,
          // Protocol frames are JSON or compact text and never hold a newline: one data line.
          send: (frame) => {
            if (!ended && typeof frame === 'string') res.write(`data: ${frame}\n\n`);
          },
          bufferedBytes: () => res.writableLength,
          close: (code, reason) => {
            if (ended) return;
            ended = true;
            res.end(`event: close\ndata: ${JSON.stringify([code, closeReason(reason)])}\n\n`);
          },
        };
        const stream: Stream = { address, res, connection, handler: admission.open(connection) };
        streams.set(id, stream);
        res.on('close', () => {
          streams.delete(id);
          slot.release();
          // A stream cannot say goodbye: a leaving client sends `bye` first, which the session
          // answers with a close of its own. Anything else is a drop, and may resume.
          stream.handler.onClose(false);
        });
      }

      function receive(req: IncomingMessage, res: ServerResponse, id: string): void {
        const stream = streams.get(id);
        if (!stream || stream.address !== (req.socket.remoteAddress ?? '')) {
          res.writeHead(404, { connection: 'close' }).end();
          req.destroy();
          return;
        }
        // Read no more than one byte past the cap: admission then closes the connection with
        // 1009 for the oversize message, and the rest of the body is never read.
        const chunks: Buffer[] = [];
        let bytes = 0;
        req.on('data', (chunk: Buffer) => {
          if (res.headersSent) return; // already refused
          chunks.push(chunk);
          bytes += chunk.length;
          if (bytes > admission.maxMessageBytes) {
            res.writeHead(413, { connection: 'close' }).end();
            req.destroy();
            stream.handler.onFrame(Buffer.concat(chunks).toString('utf8'));
          }
        });
        req.on('end', () => {
          res.writeHead(204).end();
          stream.handler.onFrame(Buffer.concat(chunks).toString('utf8'));
        });
      }

      const http = createHttpServer({ onRequest });
      // A dead network sends no close: a comment line every heartbeat makes a write fail on it.
      const heartbeat = setInterval(() => {
        for (const { res } of streams.values()) if (!res.writableEnded) res.write(': ping\n\n');
      }, config.heartbeatMs).unref();

      return {
        listen: (host) =>
          new Promise((resolve, reject) => {
            http.once('error', reject);
            http.listen(port, host, () => {
              const address = http.address();
              resolve(typeof address === 'object' && address ? address.port : port);
            });
          }),
        close: () =>
          new Promise<void>((resolve) => {
            clearInterval(heartbeat);
            for (const { connection } of streams.values()) {
              connection.close(CloseCode.GoingAway, 'server shutting down');
            }
            http.close(() => resolve());
            http.closeIdleConnections();
            setTimeout(() => http.closeAllConnections(), 500).unref();
          }),
      };
    },
  };
}
