import { WebSocket } from 'ws';

/**
 * A tiny client for the server's V8 inspector (started with --inspect on a loopback port),
 * used by the idle-memory scenario for two things /proc cannot do: force a full garbage
 * collection before reading memory (otherwise RSS still holds the garbage of 1,000 handshakes),
 * and read the JavaScript heap size.
 */
export interface Inspector {
  collectGarbage(): Promise<void>;
  /** Bytes of JavaScript heap in use. */
  heapUsed(): Promise<number>;
  close(): void;
}

const TIMEOUT_MS = 10_000;

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl?: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error('the server has no inspector target');
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
    if (msg.id !== undefined) pending.delete(msg.id);
  });
  const call = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(
        () => reject(new Error(`inspector: ${method} timed out`)),
        TIMEOUT_MS,
      );
      pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      ws.send(JSON.stringify({ id, method }));
    });

  return {
    collectGarbage: async () => {
      await call('HeapProfiler.collectGarbage');
    },
    heapUsed: async () => ((await call('Runtime.getHeapUsage')) as { usedSize: number }).usedSize,
    close: () => ws.close(),
  };
}
