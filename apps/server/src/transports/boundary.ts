import { CloseCode } from '@cursorline/protocol';
import type { Logger } from '../log.ts';
import type { Accept, Connection, ConnectionHandler } from './transport.ts';

/**
 * The error boundary around one connection. Everything a transport calls into (a frame arrived,
 * the connection closed) and everything the rooms call on a connection (send, close) runs inside it: a
 * bug while handling one connection is logged and closes that connection with 1011, and the
 * process and everyone else carry on. Transports call only these, never the session directly.
 */
export function guarded(accept: Accept, log: Logger, onError: () => void): Accept {
  return (connection: Connection): ConnectionHandler => {
    let failed = false;
    let handler: ConnectionHandler | null = null;

    function fail(err: unknown, where: string): void {
      onError();
      log.error(
        { err, where, transport: connection.transport, ip: connection.remoteAddress },
        'error while handling a connection; closing it',
      );
      if (failed) return;
      failed = true;
      try {
        connection.close(CloseCode.InternalError, 'internal error');
      } catch (closeErr) {
        log.error(
          { err: closeErr, transport: connection.transport },
          'could not close after an error',
        );
      }
      // The session must still let go of the seat, or a ghost would stay in the room.
      try {
        handler?.onClose(false);
      } catch {
        // Already logged above; there is nothing more this connection can do.
      }
    }

    const safeConnection: Connection = {
      transport: connection.transport,
      format: connection.format,
      remoteAddress: connection.remoteAddress,
      send(frame) {
        if (failed) return;
        try {
          connection.send(frame);
        } catch (err) {
          fail(err, 'send');
        }
      },
      bufferedBytes() {
        try {
          return connection.bufferedBytes();
        } catch (err) {
          fail(err, 'bufferedBytes');
          return 0;
        }
      },
      close(code, reason) {
        try {
          connection.close(code, reason);
        } catch (err) {
          fail(err, 'close');
        }
      },
    };

    try {
      handler = accept(safeConnection);
    } catch (err) {
      fail(err, 'accept');
    }

    return {
      onFrame(frame) {
        if (failed || !handler) return;
        try {
          handler.onFrame(frame);
        } catch (err) {
          fail(err, 'frame');
        }
      },
      onClose(clean) {
        if (failed || !handler) return;
        try {
          handler.onClose(clean);
        } catch (err) {
          failed = true;
          onError();
          log.error({ err, transport: connection.transport }, 'error while closing a connection');
        }
      },
    };
  };
}
