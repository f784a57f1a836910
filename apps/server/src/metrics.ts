import type { Frame } from '@cursorline/protocol';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { BackplaneRejections } from './backplane/messages.ts';
import type { RoomRegistry } from './rooms/registry.ts';
import type { Accept, Connection, ConnectionHandler } from './transports/transport.ts';

export type Metrics = ReturnType<typeof createMetrics>;

interface Traffic {
  messagesIn: number;
  bytesIn: number;
  messagesOut: number;
  bytesOut: number;
}
const newTraffic = (): Traffic => ({ messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0 });

/**
 * Prometheus metrics for one server. Each server has its own registry (tests run several in one
 * process). Counting happens by wrapping each Connection once, so transports and rooms stay unaware.
 * The `transport` label takes the names of the transports this server serves.
 */
export function createMetrics(
  rooms: RoomRegistry,
  transports: readonly string[],
  backplaneRejected?: BackplaneRejections,
) {
  const registry = new Registry();
  // Process CPU, memory, handles, GC and event-loop lag (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const connections = new Gauge({
    name: 'cursorline_connections',
    help: 'Open connections, by transport',
    labelNames: ['transport'],
    registers,
  });
  // What the server holds for recipients that are not reading: backpressure (SOFT_BUFFER_BYTES,
  // HARD_BUFFER_BYTES) bounds it per connection, and this shows the bound holding. It counts the
  // queues above the kernel's socket buffers, which are the kernel's memory, not the process's.
  const open = new Set<Connection>();
  new Gauge({
    name: 'cursorline_send_queue_bytes',
    help: 'Bytes queued in the server for its connections (above the kernel socket buffers)',
    registers,
    collect() {
      let queued = 0;
      for (const connection of open) queued += connection.bufferedBytes();
      this.set(queued);
    },
  });
  new Gauge({
    name: 'cursorline_rooms',
    help: 'Rooms with at least one user',
    registers,
    collect() {
      this.set(rooms.roomCount);
    },
  });
  new Gauge({
    name: 'cursorline_users',
    help: 'Users in rooms (including dropped users waiting to resume)',
    registers,
    collect() {
      this.set(rooms.userCount);
    },
  });
  // What other nodes sent that this one could not accept (PROTOCOL.md, "Backplane protocol"):
  // a wrong version means a mixed deploy; malformed ones mean a bug or someone else on the Redis.
  new Counter({
    name: 'cursorline_backplane_rejected_total',
    help: 'Backplane messages dropped unread, by reason (version, malformed)',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(backplaneRejected ?? { version: 0, malformed: 0 }))
        this.inc({ reason }, n);
    },
  });
  // Traffic is counted in plain numbers on the hot path (a prom-client counter per frame cost
  // ~6% of server CPU in the benchmark) and handed to Prometheus when it scrapes.
  const traffic = new Map(transports.map((name) => [name, newTraffic()]));
  trafficCounter('cursorline_messages_in_total', 'Frames received, by transport', 'messagesIn');
  trafficCounter('cursorline_bytes_in_total', 'Payload bytes received, by transport', 'bytesIn');
  trafficCounter('cursorline_messages_out_total', 'Frames sent, by transport', 'messagesOut');
  // Text frames count UTF-16 units: exact for the ASCII cursor batches that are most traffic.
  trafficCounter('cursorline_bytes_out_total', 'Payload bytes sent, by transport', 'bytesOut');
  const closes = new Counter({
    name: 'cursorline_closes_total',
    help: 'Connections the server closed, by close code',
    labelNames: ['code'],
    registers,
  });
  const disconnects = new Counter({
    name: 'cursorline_disconnects_total',
    help: 'Connections the client ended: clean (said goodbye) or dropped',
    labelNames: ['how'],
    registers,
  });
  const refused = new Counter({
    name: 'cursorline_connections_refused_total',
    help: 'Connections refused by the connection limits',
    registers,
  });
  const errors = new Counter({
    name: 'cursorline_errors_total',
    help: 'Bugs caught while handling one connection or request (each closed it, not the server)',
    registers,
  });
  mirror(
    'cursorline_frames_skipped_total',
    'Cursor frames skipped for a backed-up recipient',
    () => rooms.stats.framesSkipped,
  );
  mirror(
    'cursorline_slow_disconnects_total',
    'Recipients closed for being too slow',
    () => rooms.stats.slowDisconnects,
  );

  function trafficCounter(name: string, help: string, field: keyof Traffic) {
    new Counter({
      name,
      help,
      labelNames: ['transport'],
      registers,
      collect() {
        this.reset();
        for (const [transport, counts] of traffic) this.inc({ transport }, counts[field]);
      },
    });
  }

  /** A counter whose value lives elsewhere (in the rooms' stats); read at scrape time. */
  function mirror(name: string, help: string, read: () => number) {
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  const size = (frame: Frame) => (typeof frame === 'string' ? frame.length : frame.byteLength);

  /** Wraps `accept` so every connection, frame and close is counted. */
  function instrument(accept: Accept): Accept {
    return (connection: Connection): ConnectionHandler => {
      const gauge = connections.labels(connection.transport);
      const counts = traffic.get(connection.transport) ?? newTraffic();
      gauge.inc();
      const counted: Connection = {
        transport: connection.transport,
        format: connection.format,
        remoteAddress: connection.remoteAddress,
        bufferedBytes: () => connection.bufferedBytes(),
        send(frame) {
          counts.messagesOut++;
          counts.bytesOut += size(frame);
          connection.send(frame);
        },
        close(code, reason) {
          closes.labels(String(code)).inc();
          connection.close(code, reason);
        },
      };
      const handler = accept(counted);
      let isOpen = true;
      open.add(connection);
      return {
        onFrame(frame) {
          counts.messagesIn++;
          counts.bytesIn += size(frame);
          handler.onFrame(frame);
        },
        onClose(clean) {
          if (isOpen) {
            isOpen = false;
            open.delete(connection);
            gauge.dec();
            disconnects.labels(clean ? 'clean' : 'drop').inc();
          }
          handler.onClose(clean);
        },
      };
    };
  }

  return { registry, instrument, refused, errors };
}
