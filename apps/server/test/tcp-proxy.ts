import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a client and the server, so a test can break the network the way real
 * networks break: both ends cut without a close handshake, only the client's end cut (the
 * server keeps a half-open socket), or new connections refused for a while.
 */
export interface TcpProxy {
  url: string;
  /** Destroy every relayed connection on both sides. */
  cut(): void;
  /** Destroy only the client sides; the server sides stay open and silent. */
  cutClientSide(): void;
  /** While blocked, new connections are reset at once. */
  block(blocked: boolean): void;
  close(): Promise<void>;
}

export function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let blocked = false;
  const server: Server = createServer((client) => {
    if (blocked) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => pairs.delete(pair);
    for (const s of pair) {
      s.on('error', () => {});
      s.on('close', end);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        cut: () => {
          for (const [client, upstream] of pairs) {
            client.resetAndDestroy();
            upstream.resetAndDestroy();
          }
        },
        cutClientSide: () => {
          for (const [client, upstream] of pairs) {
            client.unpipe(upstream);
            upstream.unpipe(client);
            client.resetAndDestroy();
          }
        },
        block: (value) => {
          blocked = value;
        },
        close: () =>
          new Promise((done) => {
            for (const [client, upstream] of pairs) {
              client.destroy();
              upstream.destroy();
            }
            server.close(() => done());
          }),
      });
    }),
  );
}
