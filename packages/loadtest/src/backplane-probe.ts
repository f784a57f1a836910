import { decodeServerFrame, encodeJson, PROTOCOL_VERSION } from '@cursorline/protocol';
import { type RawData, WebSocket } from 'ws';

/**
 * Before a multi-node run is measured, prove that the nodes see each other's users: one probe
 * user on each node, all in a room of their own, and each must learn of every other one. A node
 * that cannot reach Redis still serves its own users happily, so without this check the run
 * would measure one room split into unconnected halves and report it as fast.
 */
const PROBE_ROOM = 'bench-probe';
const PROBE_TIMEOUT_MS = 10_000;

interface Probe {
  socket: WebSocket;
  /** Our id, once welcomed. */
  id: number | undefined;
  /** Ids of the other users this probe has been told about (welcome snapshot, joins, leaves). */
  known: Set<number>;
}

function openProbe(url: string, index: number, onChange: () => void, onFail: (e: Error) => void) {
  const probe: Probe = {
    socket: new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false }),
    id: undefined,
    known: new Set(),
  };
  probe.socket.on('open', () =>
    probe.socket.send(
      encodeJson({ t: 'hello', v: PROTOCOL_VERSION, room: PROBE_ROOM, name: `probe ${index}` }),
    ),
  );
  probe.socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary || !Buffer.isBuffer(data)) return; // cursor batches: nobody moves here
    const decoded = decodeServerFrame(data.toString('utf8'));
    if (!decoded.ok) return;
    const msg = decoded.msg;
    if (msg.t === 'welcome') {
      probe.id = msg.self.id;
      for (const user of msg.users) probe.known.add(user.id);
    } else if (msg.t === 'changes') {
      // Protocol v3: arrivals and departures come in the tick's presence frame.
      for (const user of msg.joined ?? []) probe.known.add(user.id);
      for (const id of msg.left ?? []) probe.known.delete(id);
    }
    onChange();
  });
  probe.socket.on('close', (code) => onFail(new Error(`probe on ${url} closed (${code})`)));
  probe.socket.on('error', () => {}); // 'close' follows
  return probe;
}

/** Resolves once every probe knows every other; rejects after PROBE_TIMEOUT_MS. */
export async function probeBackplane(urls: readonly string[]): Promise<void> {
  const probes: Probe[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const told = probes.map((p) => p.known.size).join(', ');
        reject(
          new Error(
            `the nodes do not see each other's users within ${PROBE_TIMEOUT_MS} ms ` +
              `(each probe knows ${told} of ${urls.length - 1}): is the backplane connected?`,
          ),
        );
      }, PROBE_TIMEOUT_MS);
      const check = () => {
        const ids = probes.map((p) => p.id);
        const allKnown = probes.every(
          (p) =>
            p.id !== undefined &&
            ids.every((id) => id === p.id || (id !== undefined && p.known.has(id))),
        );
        if (probes.length === urls.length && allKnown) {
          clearTimeout(timer);
          resolve();
        }
      };
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      urls.forEach((url, i) => {
        probes.push(openProbe(url, i, check, fail));
      });
    });
  } finally {
    // Leave properly, so the probe room is gone before the measured users arrive.
    // (Their 'close' handlers then reject a promise that has already settled: no effect.)
    for (const probe of probes) probe.socket.close(1000);
  }
}
