import {
  type ClientTransport,
  openSocket,
  PresenceClient,
  type SocketOptions,
  type WireSocket,
} from '@cursorline/client';
import { CloseCode, type Frame, PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type CursorlineServer, createServer } from '../../src/server.ts';
import { SERVER_TRANSPORTS } from '../../src/transports/registry.ts';
import type { ServerTransport } from '../../src/transports/transport.ts';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy.ts';

/**
 * The contract every transport keeps, as tests: one real server serving only the transport under
 * test, real clients over that transport's client module. contract.test.ts runs it for every
 * entry of SERVER_TRANSPORTS; a transport kept outside the registry (the recipe's example) runs
 * it by calling describeTransportContract itself.
 */
export interface ContractSubject {
  /** Shown in the test names, e.g. "sockjs (websocket)". */
  label: string;
  server: ServerTransport;
  client: ClientTransport;
  /** Client options this subject always uses, e.g. a forced SockJS fallback. */
  options?: Partial<SocketOptions>;
  /**
   * Cases this subject cannot run, with the reason. In Node, sockjs-client's HTTP transports
   * send no headers of our choosing, so a foreign Origin cannot be claimed over them.
   */
  skip?: Partial<Record<'origin' | 'clean-close', string>>;
}

const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
const fast = { baseMs: 20, capMs: 50 };
const FOREIGN = 'https://evil.example';
const hello = (name = 'raw') =>
  JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'contract', name });

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whatever a bare connection over the transport saw: frames, and how it ended. */
interface RawConnection {
  socket: WireSocket;
  opened: boolean;
  frames: Frame[];
  closed: { code: number; reason: string } | null;
}

export function describeTransportContract(subject: ContractSubject): void {
  describe(`transport contract: ${subject.label}`, () => {
    let server: CursorlineServer | null = null;
    let proxy: TcpProxy | null = null;
    const clients: PresenceClient[] = [];
    const raws: RawConnection[] = [];

    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      for (const r of raws.splice(0)) r.socket.close();
      await proxy?.close();
      proxy = null;
      await server?.close();
      server = null;
    });

    /** A server with only this transport; resolves with the URL its clients use. */
    async function start(overrides: Partial<ServerConfig> = {}): Promise<string> {
      const registry = [subject.server, ...SERVER_TRANSPORTS.filter((t) => t !== subject.server)];
      server = createServer(
        { host: '127.0.0.1', port: 0, transports: [subject.server.name], ...overrides },
        createLogger(process.env.LOG_LEVEL ?? 'silent'),
        undefined,
        registry,
      );
      const port = await server.listen();
      // A transport with its own listener is reached there; the others on the main port.
      return `http://127.0.0.1:${server.transportPorts.get(subject.server.name) ?? port}`;
    }

    function options(
      url: string,
      extra: Partial<SocketOptions> = {},
    ): SocketOptions & { transport: ClientTransport } {
      return {
        url,
        WebSocket: NodeWebSocket,
        ...subject.options,
        ...extra,
        transport: subject.client,
      };
    }

    interface Watched {
      client: PresenceClient;
      seen: Map<number, { x: number; y: number } | null>;
      leaves: number[];
    }

    async function join(url: string, name: string): Promise<Watched> {
      const client = new PresenceClient({
        ...options(url),
        room: 'contract',
        name,
        sendIntervalMs: 10,
        backoff: fast,
      });
      clients.push(client);
      const user: Watched = { client, seen: new Map(), leaves: [] };
      client.on('cursors', (moves) => {
        for (const { id, at } of moves) user.seen.set(id, at);
      });
      client.on('leave', (id) => user.leaves.push(id));
      await waitFor(() => client.status === 'open', `${name} to join`);
      return user;
    }

    const idOf = (user: Watched) => {
      const id = user.client.self?.id;
      if (id === undefined) throw new Error('not joined');
      return id;
    };

    /** A bare connection that sends exactly `send` once open (nothing at all if empty). */
    function raw(url: string, send: Frame[], extra: Partial<SocketOptions> = {}): RawConnection {
      const conn: RawConnection = {
        socket: undefined as unknown as WireSocket,
        opened: false,
        frames: [],
        closed: null,
      };
      conn.socket = openSocket(options(url, extra), {
        open: () => {
          conn.opened = true;
          for (const frame of send) conn.socket.send(frame);
        },
        frame: (frame) => conn.frames.push(frame),
        close: (code, reason) => {
          conn.closed ??= { code, reason };
        },
      });
      raws.push(conn);
      return conn;
    }

    const skipped = (name: keyof NonNullable<ContractSubject['skip']>) =>
      subject.skip?.[name] ? ` (not here: ${subject.skip[name]})` : '';

    const welcomed = (conn: RawConnection) =>
      conn.frames.some((f) => typeof f === 'string' && f.includes('"t":"welcome"'));

    it('hello gets a welcome with a server-assigned identity', async () => {
      const url = await start();
      const ana = await join(url, 'Ana');
      expect(ana.client.self?.name).toBe('Ana');
      expect(typeof ana.client.self?.id).toBe('number');
      expect(ana.client.transport.startsWith(subject.client.name)).toBe(true);
    });

    it('a move reaches another user', async () => {
      const url = await start();
      const ana = await join(url, 'Ana');
      const bo = await join(url, 'Bo');
      ana.client.move({ x: 120, y: 340 });
      await waitFor(() => bo.seen.get(idOf(ana))?.x === 120, 'Bo to see Ana move');
      expect(bo.seen.get(idOf(ana))).toEqual({ x: 120, y: 340 });
    });

    it('a frame that is not a message closes with 1007, one before hello with 1008', async () => {
      const url = await start();
      const garbage = raw(url, ['{nope']);
      const early = raw(url, ['{"t":"name","name":"Early"}']);
      await waitFor(() => garbage.closed !== null && early.closed !== null, 'both closes');
      expect(garbage.closed?.code).toBe(CloseCode.InvalidData);
      expect(early.closed?.code).toBe(CloseCode.PolicyViolation);
    });

    it('a frame over MAX_MESSAGE_BYTES closes with 1009', async () => {
      const url = await start({ maxMessageBytes: 1024 });
      const big = raw(url, [hello('x'.repeat(2000))]);
      const fine = raw(url, [hello('fine')]);
      await waitFor(() => big.closed !== null && welcomed(fine), 'the close and the welcome');
      expect(big.closed?.code).toBe(CloseCode.TooBig);
      expect(welcomed(big)).toBe(false);
    });

    it.skipIf(subject.skip?.origin)(
      `a page of another site is refused, a listed one is not${skipped('origin')}`,
      async () => {
        const url = await start({ allowedOrigins: ['https://friend.example'] });
        const foreign = raw(url, [hello('evil')], { headers: { origin: FOREIGN } });
        const friend = raw(url, [hello('friend')], {
          headers: { origin: 'https://friend.example' },
        });
        await waitFor(() => welcomed(friend), 'the listed origin to get in');
        await waitFor(() => foreign.closed !== null, 'the foreign origin to be closed');
        expect(welcomed(foreign)).toBe(false);
        expect(server?.rooms.userCount).toBe(1);
      },
    );

    it.skipIf(subject.skip?.['clean-close'])(
      `a clean close is a leave at once, not a drop${skipped('clean-close')}`,
      async () => {
        const url = await start({ resumeGraceMs: 10_000 });
        const ana = await join(url, 'Ana');
        const bo = await join(url, 'Bo');
        const id = idOf(ana);
        ana.client.close();
        // A drop would keep Ana (offline) for the 10 s grace period before the leave.
        await waitFor(() => bo.leaves.includes(id), 'Bo to see Ana leave', 3000);
      },
    );

    it('a dropped connection shows offline, then resumes as the same user', async () => {
      const url = await start({ resumeGraceMs: 5000 });
      proxy = await startTcpProxy(Number(new URL(url).port));
      const traveller = await join(proxy.url, 'Traveller');
      const watcher = await join(url, 'Watcher');
      const id = idOf(traveller);
      await waitFor(() => watcher.client.users.has(id), 'the watcher to see the traveller');
      proxy.cut();
      proxy.block(true);
      const seenAs = () => {
        const user = watcher.client.users.get(id);
        return user && 'state' in user ? user.state : undefined;
      };
      await waitFor(() => seenAs() === 'offline', 'the watcher to see the traveller offline');
      proxy.block(false);
      await waitFor(
        () => traveller.client.status === 'open' && seenAs() === 'active',
        'the resume',
      );
      expect(idOf(traveller)).toBe(id);
      expect(watcher.leaves).toEqual([]);
    });

    it('the per-address connection cap turns the next connection away, and frees up', async () => {
      // Seats have their own cap (a dropped user's seat stays charged through the grace period):
      // raised here, so this is the connection cap alone.
      const url = await start({ maxConnectionsPerIp: 2, maxSeatsPerIp: 10 });
      const ana = await join(url, 'Ana');
      await join(url, 'Bo');
      const third = raw(url, [hello('third')]);
      await waitFor(() => third.closed !== null, 'the third connection to be turned away');
      expect(welcomed(third)).toBe(false);
      expect(server?.limits.open).toBe(2);
      ana.client.close();
      await waitFor(() => server?.limits.open === 1, 'the slot to be released');
      await join(url, 'Cy');
    });

    it('server closes arrive with their documented codes: 4002 hello timeout, 1001 shutdown', async () => {
      const url = await start({ helloTimeoutMs: 300 });
      const silent = raw(url, []);
      const joined = raw(url, [hello('stays')]);
      await waitFor(() => silent.closed !== null && welcomed(joined), 'the hello timeout');
      expect(silent.closed?.code).toBe(CloseCode.HelloTimeout);
      const closing = server?.close();
      server = null;
      await waitFor(() => joined.closed !== null, 'the shutdown close');
      expect(joined.closed?.code).toBe(CloseCode.GoingAway);
      await closing;
    });
  });
}
