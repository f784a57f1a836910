import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import {
  type FuzzFrame,
  helloFrame,
  nested,
  Oracle,
  type Rng,
  rngFor,
  type ScriptOptions,
  script,
  show,
  sockjsMessages,
  sockjsPayload,
  textMove,
} from './generators.ts';

/**
 * Per-endpoint drivers for the fuzzer. Each runs one connection's script against a real server
 * and records what it saw in a Report: frames sent per endpoint and kind, close codes and HTTP
 * statuses per endpoint, and findings (undocumented codes, internal errors, hangs, leaks), each
 * with what it takes to replay it.
 *
 * Every wait is bounded; nothing here retries forever.
 */

export type Endpoint =
  | 'ws'
  | 'sockjs-ws'
  | 'sockjs-raw'
  | 'xhr_streaming'
  | 'xhr'
  | 'jsonp'
  | 'eventsource'
  | 'htmlfile'
  | 'http-forms'
  | 'control';

// ---- documented close codes ------------------------------------------------------------------

/** What the server itself may close a connection with (PROTOCOL.md, issue 9). */
const APP_CODES = [1000, 1001, 1007, 1008, 1009, 1013, 4001, 4002, 4003, 4004, 4005];
/**
 * 1011 means the per-connection error boundary caught a bug: a finding, so the test fails on it.
 * Allow-list a 1011 here only with a comment saying which known bug it is and where it is tracked.
 */
const ALLOWED_1011: readonly Endpoint[] = [];
/** Codes the WebSocket libraries send for frames broken at the WebSocket layer. */
const WS_LIB_CODES = [1002, 1007, 1009]; // ws (raw /ws)
const FAYE_LIB_CODES = [1002, 1003, 1007, 1009]; // faye-websocket (sockjs websocket endpoints)

/** Close codes a client may see on this endpoint. `wire`: the frame was broken at the WS layer. */
export function allowedCodes(
  endpoint: Endpoint,
  where: 'ws-close' | 'sockjs-frame',
  wire: boolean,
) {
  const set = new Set<number>();
  const add = (codes: readonly number[]) => {
    for (const c of codes) set.add(c);
  };
  if (ALLOWED_1011.includes(endpoint)) set.add(1011);
  switch (endpoint) {
    case 'ws':
      add(APP_CODES);
      add(WS_LIB_CODES);
      break;
    case 'sockjs-raw':
      // faye-websocket accepts only 1000 and 3000–4999 from the application: 1xxx are sent as
      // 3000 + (code − 1000).
      add([1000, ...APP_CODES.filter((c) => c >= 3000)]);
      add(APP_CODES.filter((c) => c > 1000 && c < 2000).map((c) => c + 2000));
      if (ALLOWED_1011.includes(endpoint)) set.add(3011);
      if (wire) add(FAYE_LIB_CODES);
      break;
    default:
      if (where === 'sockjs-frame') {
        add(APP_CODES);
        add([2010, 3000]); // sockjs: another connection still open; broken framing / heartbeat
      } else {
        // The websocket under a SockJS session closes 1000 after its close frame, or 3000 for
        // broken framing; the library answers broken WebSocket frames itself.
        add([1000, 3000]);
        if (wire) add(FAYE_LIB_CODES);
      }
  }
  return set;
}

const HTTP_OK = new Set([200, 204, 403, 404, 413, 503]);
/** sockjs's own 500s, which say what was wrong with the request; any other 500 is a finding. */
const SOCKJS_500 =
  /^(Broken JSON encoding\.|Payload expected\.|"callback" parameter required|invalid "callback" parameter)$/;

// ---- the report ---------------------------------------------------------------------------------

export interface Finding {
  endpoint: Endpoint;
  what: string;
  replay: string;
  detail: string;
}

export class Report {
  readonly frames = new Map<string, number>();
  readonly closes = new Map<string, number>();
  readonly http = new Map<string, number>();
  /** SockJS payload shapes (the wrapper of one websocket message or one send body). */
  readonly payloads = new Map<string, number>();
  readonly findings: Finding[] = [];
  /** Markers from frames the server had to refuse (or sent after a refusal): never to be seen. */
  readonly forbidden = new Map<string, string>();
  connections = 0;

  constructor(readonly seed: number) {}

  frame(endpoint: Endpoint, kind: string, n = 1): void {
    const key = `${endpoint}\t${kind.split(/[.:]/)[0] === 'field' ? kind.replace(/\..*/, '') : kind}`;
    this.frames.set(key, (this.frames.get(key) ?? 0) + n);
  }

  payload(endpoint: Endpoint, kind: string, extraValue: boolean): void {
    const key = `${endpoint}\t${kind}`;
    this.payloads.set(key, (this.payloads.get(key) ?? 0) + 1);
    // An odd payload hands the server one more (non-string) message: that is a frame too.
    if (extraValue) this.frame(endpoint, 'sockjs:non-string-value');
  }

  close(endpoint: Endpoint, code: number | string): void {
    const key = `${endpoint}\t${code}`;
    this.closes.set(key, (this.closes.get(key) ?? 0) + 1);
  }

  status(endpoint: Endpoint, status: number | string): void {
    const key = `${endpoint}\t${status}`;
    this.http.set(key, (this.http.get(key) ?? 0) + 1);
  }

  /** Set by the runner: findings made while this returns false are only counted. */
  serverAlive: () => boolean = () => true;

  find(f: Finding): void {
    if (!this.serverAlive()) {
      this.status('control', `after-death:${f.endpoint}:${f.what}`);
      return;
    }
    // Keep the first few of each kind: one reproducer is enough, thousands are noise.
    const same = this.findings.filter((x) => x.endpoint === f.endpoint && x.what === f.what).length;
    if (same < 3) this.findings.push(f);
    this.status('control', `finding:${f.endpoint}:${f.what}`);
  }

  /**
   * Once the server died, what its clients saw around the death (resets, dropped connections,
   * missing closes) is the death itself: drop those findings made since `from`.
   */
  dropDeathEchoes(from: number): void {
    const echo =
      /reset|1006|no close handshake|no SockJS close|timeout|no upgrade|upgrade answered/;
    const kept = this.findings.slice(0, from);
    for (const f of this.findings.slice(from)) if (!echo.test(f.what)) kept.push(f);
    this.findings.splice(0, this.findings.length, ...kept);
  }

  oracle(oracle: Oracle): void {
    for (const [m, why] of oracle.forbidden) this.forbidden.set(m, why);
  }

  totalFrames(endpoint?: Endpoint): number {
    let n = 0;
    for (const [key, count] of this.frames)
      if (!endpoint || key.startsWith(`${endpoint}\t`)) n += count;
    return n;
  }

  summary(): string {
    const lines: string[] = [
      `FUZZ_SEED=${this.seed}  connections=${this.connections}  frames=${this.totalFrames()}`,
    ];
    const byEndpoint = new Map<string, number>();
    for (const [key, n] of this.frames) {
      const [ep] = key.split('\t');
      byEndpoint.set(ep ?? '', (byEndpoint.get(ep ?? '') ?? 0) + n);
    }
    lines.push('frames per endpoint:');
    for (const [ep, n] of [...byEndpoint].sort()) lines.push(`  ${ep.padEnd(14)} ${n}`);
    lines.push('frames per endpoint and kind:');
    for (const [key, n] of [...this.frames].sort())
      lines.push(`  ${key.replace('\t', '  ').padEnd(44)} ${n}`);
    lines.push('SockJS payload shapes (wrappers, not counted as frames):');
    for (const [key, n] of [...this.payloads].sort())
      lines.push(`  ${key.replace('\t', '  ').padEnd(44)} ${n}`);
    lines.push('close codes seen per endpoint:');
    for (const [key, n] of [...this.closes].sort())
      lines.push(`  ${key.replace('\t', '  ').padEnd(30)} ${n}`);
    lines.push('HTTP statuses per endpoint:');
    for (const [key, n] of [...this.http].sort())
      lines.push(`  ${key.replace('\t', '  ').padEnd(60)} ${n}`);
    lines.push(`findings: ${this.findings.length}`);
    for (const f of this.findings)
      lines.push(`  [${f.endpoint}] ${f.what}\n     replay: ${f.replay}\n     ${f.detail}`);
    return lines.join('\n');
  }
}

export interface Target {
  url: string;
  port: number;
  maxBytes: number;
  /** Run replay hint (seed + phase), used in findings. */
  phase: string;
  seed: number;
  /** False once the server process died: what fails after that is the death, not a new finding. */
  alive?: () => boolean;
  /** Replay mode: every frame sent and every outcome, as it happens. */
  trace?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function timeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

const replay = (t: Target, endpoint: Endpoint, index: number) =>
  `FUZZ_SEED=${t.seed} phase=${t.phase} endpoint=${endpoint} conn=${index}`;

function recent(
  frames: readonly { data: string | Uint8Array; kind: string }[],
  upTo: number,
): string {
  return frames
    .slice(Math.max(0, upTo - 3), upTo)
    .map((f) => `${f.kind} ${show(f.data)}`)
    .join(' | ');
}

function checkCode(
  report: Report,
  t: Target,
  endpoint: Endpoint,
  index: number,
  where: 'ws-close' | 'sockjs-frame',
  code: number,
  wire: boolean,
  destroyed: boolean,
  context: string,
): void {
  report.close(endpoint, where === 'sockjs-frame' ? `c${code}` : code);
  if (code === 1006 && destroyed) return; // the test itself destroyed the connection
  if (code === 1006 && wire && endpoint !== 'ws') {
    // Tolerated, and counted: after a frame broken at the WebSocket layer, faye-websocket tears
    // the TCP connection down while the client's next frames are still arriving, so the kernel
    // may answer with a reset that loses its 1007/1002 close frame (a race; see the report).
    report.close(endpoint, '1006 tolerated: faye reset after a protocol error');
    return;
  }
  if (allowedCodes(endpoint, where, wire).has(code)) return;
  const what =
    code === 1011 || code === 3011
      ? `internal error ${code}`
      : `undocumented close ${code} (${where})`;
  report.find({ endpoint, what, replay: replay(t, endpoint, index), detail: context });
}

// ---- WebSocket endpoints ----------------------------------------------------------------------

export type WsEndpoint = 'ws' | 'sockjs-ws' | 'sockjs-raw';

/**
 * FUZZ_SOCKJS_SINGLE=1: one message per SockJS websocket frame and no odd payloads, to fuzz that
 * endpoint past the known crash of a second message after a refused one (see the report).
 */
const SINGLE_SOCKJS_MESSAGES = process.env.FUZZ_SOCKJS_SINGLE === '1';

function wsPath(endpoint: WsEndpoint, r: Rng): string {
  if (endpoint === 'ws') return r.pick(['/ws', '/ws', '/ws', '/ws?x=1', '/ws?room=%00&v=1e308']);
  if (endpoint === 'sockjs-raw')
    return r.pick(['/sockjs/websocket', '/sockjs/websocket', '/sockjs/websocket/']);
  const server = r.pick([
    '000',
    '1',
    'x'.repeat(r.range(1, 60)),
    '%F0%9F%98%80',
    '__proto__',
    'constructor',
  ]);
  const session = r.pick([
    `s${r.int(1e9).toString(36)}`,
    `s${r.int(1e9).toString(36)}`,
    '__proto__',
    'constructor',
    'hasOwnProperty',
    `%E2%80%AE${r.int(1e6)}`,
  ]);
  return `/sockjs/${server}/${session}/websocket${r.chance(0.1) ? '/' : ''}`;
}

export interface WsRunOptions {
  length: number;
  hostile: number;
  room?: string;
}

/** One connection over a WebSocket endpoint running a generated script. */
export async function runWs(
  t: Target,
  report: Report,
  endpoint: WsEndpoint,
  index: number,
  opts: WsRunOptions,
): Promise<void> {
  const r = rngFor(t.seed, t.phase, endpoint, index);
  const binaryOk = endpoint === 'ws';
  const o: ScriptOptions = {
    binaryOk,
    canSendBytes: endpoint !== 'sockjs-ws',
    maxBytes: t.maxBytes,
    hostile: opts.hostile,
    length: opts.length,
    room: opts.room ?? 'fuzz',
  };
  const frames = script(r, o);
  const path = wsPath(endpoint, r);
  const oracle = new Oracle(t.maxBytes, `${t.phase}/${endpoint}/${index}`);
  const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}${path}`, { handshakeTimeout: 10_000 });
  ws.on('error', () => {});
  report.connections++;
  let sockjsClose: number | null = null;
  let opened = false;
  let sockjsOpen = endpoint !== 'sockjs-ws';
  ws.on('message', (data, isBinary) => {
    if (endpoint !== 'sockjs-ws' || isBinary) return;
    const text = data.toString();
    if (text === 'o') sockjsOpen = true;
    if (text.startsWith('c[')) {
      try {
        sockjsClose = (JSON.parse(text.slice(1)) as [number, string])[0];
      } catch {
        sockjsClose = -1;
      }
    }
  });
  const closed = new Promise<{ code: number }>((resolve) =>
    ws.once('close', (code) => resolve({ code })),
  );
  const open = await timeout(
    new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        report.status(endpoint, `upgrade ${status}`);
        // 404: a session id that is a key of Object.prototype (`__proto__`, `constructor`),
        // which sockjs's plain-object session map would otherwise resolve.
        if (![403, 503].includes(status) && !(status === 404 && protoKeySession(path))) {
          report.find({
            endpoint,
            what: `upgrade answered ${status}`,
            replay: replay(t, endpoint, index),
            detail: path,
          });
        }
        res.resume();
        resolve(false);
      });
      ws.once('close', () => resolve(false));
    }),
    12_000,
    false,
  );
  if (!open) {
    ws.terminate();
    report.close(endpoint, 'no-open');
    return;
  }
  opened = true;
  let sent = 0;
  let wire = false;
  let closedEarly = false;
  void closed.then(() => {
    closedEarly = true;
  });
  if (endpoint === 'sockjs-ws') {
    // Group messages as a SockJS client would (several per websocket message), or as an attacker.
    await timeout(
      waitUntil(() => sockjsOpen || closedEarly, 5000),
      6000,
      undefined,
    );
    let i = 0;
    while (i < frames.length && !closedEarly) {
      const size = r.chance(0.7) ? 1 : r.range(2, 20);
      const group = frames.slice(i, i + (SINGLE_SOCKJS_MESSAGES ? 1 : size));
      i += group.length;
      const texts = group.map((f) =>
        typeof f.data === 'string' ? f.data : Buffer.from(f.data).toString('latin1'),
      );
      let payload = sockjsPayload(r, texts);
      if (SINGLE_SOCKJS_MESSAGES && payload.kind === 'sockjs:odd') {
        payload = { kind: 'sockjs:array', text: JSON.stringify(texts), count: 1, nonString: false };
      }
      const parsed = sockjsMessages(payload.text);
      if (parsed === 'broken') {
        oracle.end('broken SockJS framing');
        for (const f of group) oracle.feed(null, f.markers);
      } else {
        // Markers go with their own message; an odd extra value carries none.
        let gi = 0;
        for (const m of parsed) {
          const f = typeof m === 'string' ? group[gi++] : undefined;
          oracle.feed(m, f?.markers ?? []);
        }
        for (; gi < group.length; gi++) oracle.lost(group[gi]?.markers ?? []);
      }
      t.trace?.(`send ${show(payload.text, 400)}`);
      ws.send(payload.text);
      report.payload(endpoint, payload.kind, payload.nonString);
      for (const f of group) report.frame(endpoint, f.kind);
      sent += payload.count;
      if (sent % 32 === 0) await new Promise((res) => setImmediate(res));
    }
  } else {
    for (const f of frames) {
      if (closedEarly) break;
      t.trace?.(`send ${f.kind} ${f.textBytes ? 'as text ' : ''}${show(f.data, 400)}`);
      if (typeof f.data === 'string') {
        ws.send(f.data);
        oracle.feed(f.data, f.markers);
      } else if (f.textBytes) {
        ws.send(f.data, { binary: false });
        if (f.wireLevel) {
          wire = true;
          oracle.end('invalid UTF-8 text frame');
          oracle.feed(null, f.markers);
        } else oracle.feed(Buffer.from(f.data).toString('utf8'), f.markers);
      } else {
        ws.send(f.data, { binary: true });
        oracle.feed(f.data, f.markers);
      }
      report.frame(endpoint, f.kind);
      sent++;
      if (sent % 32 === 0) await new Promise((res) => setImmediate(res));
    }
  }
  // Done: close ourselves unless the server already has; the close must complete in time.
  let destroyed = !opened;
  if (!closedEarly) ws.close(1000);
  let result = await timeout(closed, 15_000, null);
  if (!result) {
    report.find({
      endpoint,
      what: 'no close handshake within 15 s',
      replay: replay(t, endpoint, index),
      detail: `${path} last frames: ${recent(frames, sent)}`,
    });
    ws.terminate();
    destroyed = true;
    result = await timeout(closed, 2000, { code: 1006 });
  }
  oracle.end();
  report.oracle(oracle);
  t.trace?.(
    `${path}: ws close ${result.code}${sockjsClose === null ? '' : `, SockJS close ${sockjsClose}`}`,
  );
  const context = `${path} after ${sent} frames; last: ${recent(frames, sent)}`;
  checkCode(report, t, endpoint, index, 'ws-close', result.code, wire, destroyed, context);
  if (endpoint === 'sockjs-ws' && sockjsClose !== null) {
    checkCode(report, t, endpoint, index, 'sockjs-frame', sockjsClose, wire, false, context);
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(5);
}

// ---- HTTP requests ------------------------------------------------------------------------------

const sendAgent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpAnswer {
  status: number | 'reset' | 'timeout';
  body: string;
}

/** One request; the body may be streamed in chunks (no Content-Length) with a pause between. */
export function httpRequest(
  port: number,
  method: string,
  path: string,
  options: {
    headers?: Record<string, string | number>;
    body?: string | Buffer;
    chunks?: Iterable<Buffer>;
    timeoutMs?: number;
    agent?: Agent | false;
  } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: HttpAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = request({
      host: '127.0.0.1',
      port,
      method,
      path,
      headers: options.headers,
      agent: options.agent ?? sendAgent,
    });
    const timer = setTimeout(() => {
      finish({ status: 'timeout', body: '' });
      req.destroy();
    }, options.timeoutMs ?? 15_000);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 4096) body += c;
      });
      res.on('end', () => finish({ status: res.statusCode ?? 0, body }));
      res.on('error', () => finish({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => finish({ status: 'reset', body: '' }));
    if (options.chunks) {
      const it = options.chunks[Symbol.iterator]();
      const pump = () => {
        if (done || req.destroyed) return;
        const next = it.next();
        if (next.done) {
          req.end();
          return;
        }
        const ok = req.write(next.value);
        if (ok) setImmediate(pump);
        else req.once('drain', pump);
      };
      pump();
    } else {
      req.end(options.body);
    }
  });
}

// ---- SockJS HTTP transports -------------------------------------------------------------------

export type HttpReceiver = 'xhr_streaming' | 'xhr' | 'jsonp' | 'eventsource' | 'htmlfile';
type Sender = 'xhr_send' | 'jsonp_send';

/** A SockJS receive channel: streams or polls, and reports the SockJS frames it reads. */
class Receiver {
  opened = false;
  closeCode: number | null = null;
  messages = 0;
  private stopped = false;
  private streams: { destroy(): void }[] = [];
  private buffer = '';

  constructor(
    private readonly port: number,
    private readonly base: string,
    private readonly kind: HttpReceiver,
  ) {}

  start(): void {
    if (this.kind === 'xhr' || this.kind === 'jsonp') void this.pollLoop();
    else this.stream();
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.streams) s.destroy();
  }

  private onFrame(frame: string): void {
    if (frame === 'o') this.opened = true;
    else if (frame.startsWith('a')) this.messages++;
    else if (frame.startsWith('c')) {
      try {
        this.closeCode = (JSON.parse(frame.slice(1)) as [number, string])[0];
      } catch {
        this.closeCode = -1;
      }
    }
  }

  /** Splits what came so far into SockJS frames, the way each transport wraps them. */
  private parse(final: boolean): void {
    const b = this.buffer;
    let rest = b;
    switch (this.kind) {
      case 'xhr_streaming':
      case 'xhr': {
        const lines = b.split('\n');
        rest = final ? '' : (lines.pop() ?? '');
        for (const line of lines) if (line && !/^h+$/.test(line)) this.onFrame(line);
        if (final && rest && !/^h+$/.test(rest)) this.onFrame(rest);
        break;
      }
      case 'eventsource': {
        const events = b.split('\r\n\r\n');
        rest = events.pop() ?? '';
        for (const e of events) {
          const line = e.replace(/^\r\n/, '');
          if (line.startsWith('data: ')) this.onFrame(unescape(line.slice(6)));
        }
        break;
      }
      case 'jsonp':
      case 'htmlfile': {
        const re =
          this.kind === 'jsonp'
            ? /\/\*\*\/cb\(("(?:[^"\\]|\\.)*")\);\r\n/g
            : /<script>\np\(("(?:[^"\\]|\\.)*")\);\n<\/script>\r\n/g;
        let m: RegExpExecArray | null = re.exec(b);
        let last = 0;
        while (m) {
          try {
            this.onFrame(JSON.parse(m[1] ?? '""') as string);
          } catch {
            this.onFrame('c[-1,"unparsable"]');
          }
          last = re.lastIndex;
          m = re.exec(b);
        }
        rest = b.slice(last);
        break;
      }
    }
    this.buffer = rest;
  }

  private stream(): void {
    const path =
      this.kind === 'xhr_streaming'
        ? `${this.base}/xhr_streaming`
        : this.kind === 'eventsource'
          ? `${this.base}/eventsource`
          : `${this.base}/htmlfile?c=cb`;
    const req = request({
      host: '127.0.0.1',
      port: this.port,
      method: this.kind === 'xhr_streaming' ? 'POST' : 'GET',
      path,
      agent: false,
    });
    this.streams.push(req);
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        this.buffer += c;
        if (this.buffer.length > 1 << 20) this.buffer = this.buffer.slice(-4096);
        this.parse(false);
      });
      res.on('end', () => this.parse(true));
      res.on('error', () => {});
    });
    req.on('error', () => {});
    req.end();
  }

  private async pollLoop(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (!this.stopped && this.closeCode === null && Date.now() < deadline) {
      const path = this.kind === 'xhr' ? `${this.base}/xhr` : `${this.base}/jsonp?c=cb`;
      const a = await httpRequest(this.port, this.kind === 'xhr' ? 'POST' : 'GET', path, {
        agent: false,
        timeoutMs: 40_000,
      });
      if (typeof a.status !== 'number' || a.status !== 200) {
        await sleep(50);
        if (a.status === 'reset' || a.status === 'timeout') continue;
        break;
      }
      this.buffer += a.body;
      this.parse(true);
      this.buffer = '';
    }
  }
}

/** A body for a send endpoint carrying these messages (xhr_send: JSON; jsonp_send: form or raw). */
function sendBody(r: Rng, sender: Sender, text: string): { body: string; type: string } {
  if (sender === 'xhr_send')
    return { body: text, type: r.pick(['text/plain', 'application/json', '']) };
  switch (r.int(4)) {
    case 0:
      return { body: text, type: 'text/plain' };
    case 1:
      return { body: JSON.stringify(text), type: 'text/plain' }; // a JSON string of the JSON
    case 2:
      return {
        body: `d=${encodeURIComponent(text)}&d=${encodeURIComponent(text)}`,
        type: 'application/x-www-form-urlencoded',
      };
    default:
      return { body: `d=${encodeURIComponent(text)}`, type: 'application/x-www-form-urlencoded' };
  }
}

/** What sockjs's send endpoint hands to the session for a body (mirrors trans-xhr / trans-jsonp). */
function messagesOfBody(sender: Sender, body: string, type: string, payload: string): unknown[] {
  let d: unknown;
  try {
    if (sender === 'xhr_send' || type === 'text/plain') {
      d = JSON.parse(body);
      if (sender === 'jsonp_send' && typeof d === 'string' && d) d = JSON.parse(d);
    } else {
      const values = new URLSearchParams(body).getAll('d');
      if (values.length > 1) return values; // querystring gives an array of strings
      d = JSON.parse(values[0] ?? '');
    }
  } catch {
    return [];
  }
  void payload;
  return Array.isArray(d) ? d : [];
}

export interface HttpRunOptions {
  length: number;
  hostile: number;
  maxBatch: number;
  room?: string;
}

/** One SockJS session over an HTTP transport: a receive channel and a send endpoint. */
export async function runHttp(
  t: Target,
  report: Report,
  kind: HttpReceiver,
  index: number,
  opts: HttpRunOptions,
): Promise<void> {
  const endpoint: Endpoint = kind;
  const r = rngFor(t.seed, t.phase, endpoint, index);
  const sender: Sender =
    kind === 'jsonp' || (kind === 'htmlfile' && r.chance(0.5)) ? 'jsonp_send' : 'xhr_send';
  const base = `/sockjs/${r.pick(['000', 'a', `${r.int(999)}`])}/h${index.toString(36)}${r.int(1e9).toString(36)}`;
  const frames = script(r, {
    binaryOk: false,
    canSendBytes: false,
    maxBytes: t.maxBytes,
    hostile: opts.hostile,
    length: opts.length,
    room: opts.room ?? 'fuzz',
  });
  const oracle = new Oracle(t.maxBytes, `${t.phase}/${endpoint}/${index}`);
  const receiver = new Receiver(t.port, base, kind);
  report.connections++;
  receiver.start();
  await waitUntil(() => receiver.opened || receiver.closeCode !== null, 10_000);
  if (!receiver.opened) {
    report.close(endpoint, receiver.closeCode === null ? 'no-open' : `c${receiver.closeCode}`);
    receiver.stop();
    return;
  }
  let i = 0;
  let sent = 0;
  let afterClose = 0;
  const sendPath = () => {
    const suffix = r.pick(['', '', '', '', '/', '?x=1', '/?a=b&c=d', '?']);
    return `${base}/${sender}${suffix}`;
  };
  while (i < frames.length && afterClose < 2) {
    if (receiver.closeCode !== null) afterClose++;
    const group = frames.slice(i, i + r.range(1, opts.maxBatch));
    i += group.length;
    const texts = group.map((f) =>
      typeof f.data === 'string' ? f.data : Buffer.from(f.data).toString('latin1'),
    );
    const payload = sockjsPayload(r, texts);
    const { body, type } = sendBody(r, sender, payload.text);
    const reached = messagesOfBody(sender, body, type, payload.text);
    const path = sendPath();
    const answer = await httpRequest(t.port, 'POST', path, {
      headers: type ? { 'content-type': type } : {},
      body,
    });
    // Only a 2xx body was handed to the session; any other answer means none of it reached it.
    let gi = 0;
    if (answer.status === 200 || answer.status === 204) {
      for (const m of reached) {
        const f = typeof m === 'string' ? group[gi++] : undefined;
        oracle.feed(m, f?.markers ?? []);
      }
    }
    for (; gi < group.length; gi++) oracle.lost(group[gi]?.markers ?? []);
    report.payload(endpoint, payload.kind, payload.nonString);
    for (const f of group) report.frame(endpoint, f.kind);
    sent += payload.count;
    t.trace?.(`POST ${path} ${show(body, 400)} → ${answer.status} ${show(answer.body, 80)}`);
    checkStatus(report, t, endpoint, index, `${sender}`, answer, `POST ${path} ${show(body)}`);
    if (answer.status === 404) break; // the session is gone
  }
  // Leave cleanly if still there; the close must arrive in time.
  if (receiver.closeCode === null) {
    oracle.end();
    await httpRequest(t.port, 'POST', `${base}/${sender}`, {
      headers: {
        'content-type': sender === 'xhr_send' ? 'text/plain' : 'application/x-www-form-urlencoded',
      },
      body:
        sender === 'xhr_send'
          ? '["{\\"t\\":\\"bye\\"}"]'
          : `d=${encodeURIComponent('["{\\"t\\":\\"bye\\"}"]')}`,
    });
    await waitUntil(() => receiver.closeCode !== null, 10_000);
  }
  receiver.stop();
  oracle.end();
  report.oracle(oracle);
  t.trace?.(`${base}: SockJS close ${receiver.closeCode}`);
  if (receiver.closeCode === null) {
    report.find({
      endpoint,
      what: 'no SockJS close frame within 10 s of bye',
      replay: replay(t, endpoint, index),
      detail: `${base} after ${sent} messages; last: ${recent(frames, i)}`,
    });
    report.close(endpoint, 'none');
    return;
  }
  checkCode(
    report,
    t,
    endpoint,
    index,
    'sockjs-frame',
    receiver.closeCode,
    false,
    false,
    `${base} after ${sent} messages; last: ${recent(frames, i)}`,
  );
}

function checkStatus(
  report: Report,
  t: Target,
  endpoint: Endpoint,
  index: number,
  label: string,
  answer: HttpAnswer,
  context: string,
  allowed: ReadonlySet<number | string> = HTTP_OK,
): void {
  const internal = answer.status === 500 && !SOCKJS_500.test(answer.body.trim());
  report.status(
    endpoint,
    `${label} ${answer.status}${answer.status === 500 ? ` ${internal ? 'internal' : answer.body.trim()}` : ''}`,
  );
  if (answer.status === 500 && !internal) return;
  if (allowed.has(answer.status) && !internal) return;
  report.find({
    endpoint,
    what: internal
      ? `${label}: HTTP 500 internal error`
      : `${label}: unexpected HTTP ${answer.status}`,
    replay: replay(t, endpoint, index),
    detail: `${context} → ${answer.status} ${show(answer.body, 80)}`,
  });
}

// ---- URL forms, oversize and chunked bodies ---------------------------------------------------

/** Opens an xhr_streaming session (for send endpoints to have something to send to). */
async function openSession(port: number, base: string): Promise<Receiver> {
  const rec = new Receiver(port, base, 'xhr_streaming');
  rec.start();
  await waitUntil(() => rec.opened || rec.closeCode !== null, 10_000);
  return rec;
}

/** The same oversize message array in any size: many valid cursor moves (a bypass gets 204). */
function bigArray(bytes: number): string {
  const move = JSON.stringify(textMove(1, 1));
  const n = Math.ceil(bytes / (move.length + 1));
  return `[${Array(n).fill(move).join(',')}]`;
}

function* chunksOf(text: string, size: number): Generator<Buffer> {
  const buf = Buffer.from(text);
  for (let o = 0; o < buf.length; o += size) yield buf.subarray(o, o + size);
}

/**
 * Every URL form the send endpoints answer, with small, oversize (declared) and oversize
 * (streamed, no Content-Length) bodies; plus odd server and session ids on every endpoint.
 */
export async function urlForms(
  t: Target,
  report: Report,
  opts: { sizes: number[]; rounds: number },
): Promise<void> {
  const endpoint: Endpoint = 'http-forms';
  const suffixes = ['', '/', '?x=1', '/?x=1', '?', '?d=%5B%22x%22%5D', '//'];
  let index = 0;
  for (let round = 0; round < opts.rounds; round++) {
    for (const sender of ['xhr_send', 'jsonp_send'] as const) {
      for (const suffix of suffixes) {
        const base = `/sockjs/f${round}/u${index++}`;
        const rec = await openSession(t.port, base);
        const path = `${base}/${sender}${suffix}`;
        const form = sender === 'jsonp_send';
        const wrap = (text: string) => (form ? `d=${encodeURIComponent(text)}` : text);
        const type = form ? 'application/x-www-form-urlencoded' : 'text/plain';
        // A small valid body: hello. Allowed answers only (the URL form may or may not be routed).
        const hello = helloFrame(rngFor(t.seed, 'forms', index)).data as string;
        const small = await httpRequest(t.port, 'POST', path, {
          headers: { 'content-type': type },
          body: wrap(JSON.stringify([hello])),
        });
        report.frame(endpoint, `small ${sender}`, 1);
        checkStatus(report, t, endpoint, index, `small ${sender}${suffix}`, small, `POST ${path}`);
        for (const size of opts.sizes) {
          const text = wrap(bigArray(size));
          const declared = await httpRequest(t.port, 'POST', path, {
            headers: { 'content-type': type, 'content-length': Buffer.byteLength(text) },
            body: text,
            timeoutMs: 20_000,
          });
          report.frame(endpoint, `oversize-declared ${sender}`, 1);
          expectRefusedBody(
            report,
            t,
            index,
            `declared ${size} B ${sender}${suffix}`,
            declared,
            path,
          );
          const streamed = await httpRequest(t.port, 'POST', path, {
            headers: { 'content-type': type, 'transfer-encoding': 'chunked' },
            chunks: chunksOf(text, 16 * 1024),
            timeoutMs: 20_000,
          });
          report.frame(endpoint, `oversize-chunked ${sender}`, 1);
          expectRefusedBody(
            report,
            t,
            index,
            `chunked ${size} B ${sender}${suffix}`,
            streamed,
            path,
          );
        }
        rec.stop();
      }
    }
  }
  // Odd ids and URL forms on every endpoint: only documented answers.
  const odd = [
    '/sockjs',
    '/sockjs/',
    '/sockjs/info',
    '/sockjs/info?t=1',
    '/sockjs/iframe.html',
    '/sockjs/iframe-1.2.3.html',
    '/sockjs/websocket',
    `/sockjs/${'a'.repeat(3000)}/b/xhr`,
    '/sockjs/a/b.c/xhr',
    '/sockjs/a/%2e%2e/xhr',
    '/sockjs/%F0%9F%98%80/%E2%80%AE/xhr',
    '/sockjs/a/__proto__/xhr',
    '/sockjs/a/constructor/xhr_send',
    '/sockjs/a/b/xhr?c=1&c=2',
    '/sockjs/a/b/jsonp?c=%3Cscript%3E',
    `/sockjs/a/b/jsonp?c=${'a'.repeat(40)}`,
    '/sockjs/a/b/jsonp',
    '/sockjs/a/b/htmlfile?c=alert(1)',
    '/sockjs/a/b/htmlfile',
    '/sockjs/a/b/unknown',
    '/sockjs/a/b/c/d/xhr',
    '/sockjs//b/xhr',
    '/sockjs/a/b/xhr_send',
  ];
  for (const path of odd) {
    const method = /\/(xhr|xhr_send|xhr_streaming)(\?|$)/.test(path) ? 'POST' : 'GET';
    const a = await httpRequest(t.port, method, path, {
      timeoutMs: 3000,
      agent: false,
      body: method === 'POST' ? '["x"]' : undefined,
    });
    report.frame(endpoint, 'odd-url', 1);
    // A poll may open a session and wait for data: a timeout on those is the long poll, not a hang.
    if (a.status === 'timeout' && /\/(xhr|jsonp|htmlfile)(\?|$)/.test(path)) continue;
    const allowed = new Set<number | string>([...HTTP_OK, 400, 405]);
    checkStatus(
      report,
      t,
      endpoint,
      index++,
      `odd ${method}`,
      a,
      `${method} ${path.slice(0, 120)}`,
      allowed,
    );
  }
  // An array-like body: JSON.parse gives `{"__proto__":[]}` an own __proto__ key, which passes
  // sockjs's `d.__proto__.constructor === Array` check; sockjs then loops to `length`. A huge
  // length must not freeze the event loop (one 60-byte request; ~3 s per 10^9 here).
  for (const sender of ['xhr_send', 'jsonp_send'] as const) {
    const base = `/sockjs/al/${sender}${t.seed.toString(36)}`;
    const rec = await openSession(t.port, base);
    const body = '{"__proto__":[],"length":1000000000,"0":"cAAAAAA"}';
    const send = httpRequest(t.port, 'POST', `${base}/${sender}`, {
      headers: { 'content-type': 'text/plain' },
      body,
      timeoutMs: 30_000,
    });
    await sleep(100);
    const t0 = Date.now();
    const probe = await httpRequest(t.port, 'GET', '/healthz', { agent: false, timeoutMs: 30_000 });
    const lag = Date.now() - t0;
    const answer = await send;
    report.frame(endpoint, 'array-like body', 1);
    report.status(endpoint, `array-like ${sender} ${answer.status}`);
    if (lag > 1000 || probe.status !== 200) {
      report.find({
        endpoint,
        what: `array-like ${sender} body froze the event loop (${lag} ms)`,
        replay: `POST ${base}/${sender} ${body}`,
        detail: `answer ${answer.status}; /healthz ${probe.status} after ${lag} ms`,
      });
    }
    rec.stop();
  }
  // Two receivers on one session: the second one gets sockjs's 2010.
  const base = `/sockjs/dup/d${t.seed.toString(36)}`;
  const one = await openSession(t.port, base);
  const two = await openSession(t.port, base);
  report.frame(endpoint, 'session-collision', 2);
  if (two.closeCode !== null) report.close(endpoint, `c${two.closeCode}`);
  if (two.closeCode !== null && !allowedCodes('xhr', 'sockjs-frame', false).has(two.closeCode)) {
    report.find({
      endpoint,
      what: `undocumented close ${two.closeCode} on a second receiver`,
      replay: base,
      detail: '',
    });
  }
  one.stop();
  two.stop();
}

function expectRefusedBody(
  report: Report,
  t: Target,
  index: number,
  label: string,
  a: HttpAnswer,
  path: string,
) {
  report.status('http-forms', `${label.replace(/ \d+ B/, '')} ${a.status}`);
  if (a.status === 413 || a.status === 'reset' || a.status === 404) return;
  report.find({
    endpoint: 'http-forms',
    what: `oversize body not refused (${a.status})`,
    replay: `FUZZ_SEED=${t.seed} phase=${t.phase} form=${index}`,
    detail: `POST ${path} ${label} → ${a.status} ${show(a.body, 60)}`,
  });
}

// ---- raw sockets: control frames and broken frames after a real upgrade ----------------------

interface RawFrame {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Buffer;
  mask?: boolean;
  /** Lie about the length (64-bit field). */
  length?: bigint;
}

export function encodeFrame(f: RawFrame): Buffer {
  const payload = f.payload ?? Buffer.alloc(0);
  const mask = f.mask ?? true;
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | f.opcode];
  const len = f.length ?? BigInt(payload.length);
  const m = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (f.length === undefined && len < 126n) head.push(m | Number(len));
  else if (f.length === undefined && len < 65536n) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(len));
  } else {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(len);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

const closePayload = (code: number, reason: Buffer | string = '') =>
  Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);

export interface ControlCase {
  name: string;
  frames: Buffer[];
  /** The connection must stay open and answer this many pongs. */
  pongs?: number;
  /** Codes this case may see besides the endpoint's documented ones (e.g. our own code echoed). */
  echo?: number[];
  /** The server rightly waits for the rest of a frame: the test drops the connection itself. */
  weDrop?: boolean;
  /** A control-frame flood: on /ws, ws may cut it (1006, fewer pongs) as its flood defence. */
  wsFlood?: boolean;
  /** The case ends with our own close (1000) if the server has not closed. */
}

export function controlCases(r: Rng): ControlCase[] {
  const text = (s: string | Buffer, fin = true) =>
    encodeFrame({ opcode: 1, payload: Buffer.from(s), fin });
  const cont = (s: string | Buffer, fin = true) =>
    encodeFrame({ opcode: 0, payload: Buffer.from(s), fin });
  const ping = (n: number) => encodeFrame({ opcode: 9, payload: Buffer.alloc(n, 0x61) });
  const close = (p: Buffer) => encodeFrame({ opcode: 8, payload: p });
  const badCodes = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
  const validCodes = [
    1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999,
  ];
  const emoji = '😀'; // 4 bytes
  const cases: ControlCase[] = [
    { name: 'ping 125 bytes', frames: [ping(125)], pongs: 1 },
    { name: 'ping 0 bytes', frames: [ping(0)], pongs: 1 },
    { name: 'ping 126 bytes', frames: [ping(126)] },
    {
      name: 'ping 65536 bytes',
      frames: [encodeFrame({ opcode: 9, payload: Buffer.alloc(65536) })],
    },
    {
      name: 'pong 125 unsolicited',
      frames: [encodeFrame({ opcode: 10, payload: Buffer.alloc(125) })],
    },
    {
      name: 'close 123-byte reason',
      frames: [close(closePayload(1000, 'r'.repeat(123)))],
      echo: [1000],
    },
    { name: 'close 124-byte reason', frames: [close(closePayload(1000, 'r'.repeat(124)))] },
    { name: 'close 200-byte reason', frames: [close(closePayload(4000, 'r'.repeat(200)))] },
    {
      name: 'close multibyte reason 120 B',
      frames: [close(closePayload(4001, emoji.repeat(30)))],
      echo: [4001],
    },
    { name: 'close multibyte reason 124 B', frames: [close(closePayload(4001, emoji.repeat(31)))] },
    {
      name: 'close reason cut mid-char',
      frames: [close(closePayload(4002, Buffer.from(emoji).subarray(0, 3)))],
    },
    {
      name: 'close invalid UTF-8 reason',
      frames: [close(closePayload(1000, Buffer.from([0xc3, 0x28])))],
    },
    { name: 'close 1-byte payload', frames: [close(Buffer.from([0x03]))] },
    { name: 'close empty', frames: [close(Buffer.alloc(0))], echo: [1005, 1000] },
    {
      name: 'unmasked text',
      frames: [encodeFrame({ opcode: 1, payload: Buffer.from('{}'), mask: false })],
    },
    {
      name: 'RSV1 without deflate',
      frames: [encodeFrame({ opcode: 1, rsv: 4, payload: Buffer.from('{}') })],
    },
    {
      name: 'RSV3',
      frames: [encodeFrame({ opcode: 2, rsv: 1, payload: Buffer.from([1, 0, 1, 0, 1]) })],
    },
    { name: 'reserved opcode 3', frames: [encodeFrame({ opcode: 3, payload: Buffer.from('x') })] },
    {
      name: 'reserved opcode 0xB',
      frames: [encodeFrame({ opcode: 0xb, payload: Buffer.from('x') })],
    },
    { name: 'length 2^63-1', frames: [encodeFrame({ opcode: 1, length: 2n ** 63n - 1n })] },
    { name: 'length 2^53', frames: [encodeFrame({ opcode: 2, length: 2n ** 53n })] },
    {
      name: 'length 2^32 lie',
      frames: [encodeFrame({ opcode: 1, length: 2n ** 32n, payload: Buffer.from('{"t":') })],
    },
    {
      name: 'fragmented hello',
      frames: [
        text('{"t":"hello",', false),
        cont('"v":1,"room":"fuzz",', false),
        cont('"name":"frag"}'),
      ],
    },
    {
      name: 'fragmented text + ping between',
      frames: [text('{"t":"state",', false), ping(125), cont('"state":"idle"}')],
      pongs: 1,
    },
    { name: 'continuation without start', frames: [cont('{"t":"bye"}')] },
    { name: 'new text inside fragmented', frames: [text('{"t":', false), text('"bye"}')] },
    {
      name: 'fragmented ping',
      frames: [encodeFrame({ opcode: 9, payload: Buffer.from('ab'), fin: false })],
    },
    {
      name: 'fragmented close',
      frames: [encodeFrame({ opcode: 8, payload: closePayload(1000), fin: false })],
    },
    {
      name: '1000 one-byte fragments',
      frames: [text('[', false), ...Array.from({ length: 998 }, () => cont(' ', false)), cont(']')],
    },
    {
      name: 'fragments past 64 KiB',
      frames: [
        text('x'.repeat(32 * 1024), false),
        cont('x'.repeat(32 * 1024), false),
        cont('x'.repeat(32 * 1024)),
      ],
    },
    {
      name: 'text frame invalid UTF-8',
      frames: [text(Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]))],
    },
    {
      name: 'text split mid-codepoint',
      frames: [
        text(Buffer.from(emoji).subarray(0, 2), false),
        cont(Buffer.from(emoji).subarray(2)),
      ],
    },
    { name: '50 pings', frames: Array.from({ length: 50 }, () => ping(125)), pongs: 50 },
    // A ping flood that does not read its pongs: ws (≥ 8.2x, maxPendingAutoPongs) cuts it without
    // a close frame. That 1006 is ws's own flood defence, allowed on /ws only (see endpoints below).
    {
      name: '200 pings',
      frames: Array.from({ length: 200 }, () => ping(125)),
      pongs: 200,
      wsFlood: true,
    },
    {
      name: 'half a frame then nothing',
      weDrop: true,
      frames: [encodeFrame({ opcode: 1, payload: Buffer.from('{"t":"bye"}') }).subarray(0, 5)],
    },
  ];
  for (const code of badCodes)
    cases.push({ name: `close code ${code}`, frames: [close(closePayload(code, 'x'))] });
  for (const code of validCodes) {
    cases.push({
      name: `close code ${code}`,
      frames: [close(closePayload(code, 'bye'))],
      echo: [code],
    });
  }
  // A few random frame headers too.
  for (let i = 0; i < 8; i++) {
    cases.push({
      name: `random header ${i}`,
      frames: [
        encodeFrame({
          opcode: r.int(15),
          rsv: r.int(7),
          fin: r.chance(0.5),
          payload: Buffer.alloc(r.int(130), r.int(255)),
        }),
      ],
    });
  }
  return cases;
}

interface RawResult {
  upgraded: boolean;
  status: string;
  closeCode: number | null;
  pongs: number;
  ended: boolean;
}

/** A hand-made WebSocket client: real upgrade, then exactly the bytes given. */
export function rawWsCase(
  port: number,
  path: string,
  c: ControlCase,
  waitMs = 1500,
): Promise<RawResult> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const result: RawResult = {
      upgraded: false,
      status: '',
      closeCode: null,
      pongs: 0,
      ended: false,
    };
    let buf = Buffer.alloc(0);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(hard);
      clearTimeout(quiet);
      socket.destroy();
      resolve(result);
    };
    const hard = setTimeout(finish, waitMs + 8000);
    let quiet: NodeJS.Timeout | undefined;
    let closing = false;
    const settle = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        if (result.closeCode === null && !result.ended) {
          closing = true;
          // Still open: say goodbye ourselves and give the server a moment to answer.
          socket.write(encodeFrame({ opcode: 8, payload: closePayload(1000) }));
          setTimeout(finish, 1500);
        } else finish();
      }, waitMs);
    };
    socket.on('error', () => {});
    socket.on('close', () => {
      result.ended = true;
      finish();
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (result.upgraded && !closing) settle();
      if (!result.upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        result.status = buf.subarray(0, buf.indexOf('\r\n')).toString();
        buf = buf.subarray(end + 4);
        if (!result.status.includes(' 101 ')) {
          finish();
          return;
        }
        result.upgraded = true;
        for (const f of c.frames) socket.write(f);
        settle();
      }
      // Server frames are not masked.
      for (;;) {
        if (buf.length < 2) break;
        const b0 = buf[0] ?? 0;
        const b1 = buf[1] ?? 0;
        let len = b1 & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) break;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) break;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) break;
        const payload = buf.subarray(off, off + len);
        const opcode = b0 & 0x0f;
        if (opcode === 10) result.pongs++;
        if (opcode === 8 && result.closeCode === null)
          result.closeCode = len >= 2 ? payload.readUInt16BE(0) : 1005;
        buf = buf.subarray(off + len);
      }
    });
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
  });
}

/** Every control case on every WebSocket endpoint, a few at a time. */
export async function controlFrames(
  t: Target,
  report: Report,
  r: Rng,
  concurrency = 8,
): Promise<void> {
  const paths: [WsEndpoint, string][] = [
    ['ws', '/ws'],
    ['sockjs-ws', '/sockjs/c/ctl/websocket'],
    ['sockjs-raw', '/sockjs/websocket'],
  ];
  const jobs: (() => Promise<void>)[] = [];
  let index = 0;
  for (const c of controlCases(r)) {
    for (const [endpoint, basePath] of paths) {
      const n = index++;
      const path = endpoint === 'sockjs-ws' ? basePath.replace('ctl', `ctl${n}`) : basePath;
      jobs.push(async () => {
        const res = await rawWsCase(t.port, path, c);
        report.connections++;
        report.frame('control', `${endpoint} ${c.name.replace(/\d+/g, 'N')}`, c.frames.length);
        if (!res.upgraded) {
          report.close('control', `no-upgrade ${res.status.slice(0, 30)}`);
          report.find({
            endpoint: 'control',
            what: `no upgrade on ${endpoint}`,
            replay: `${path} ${c.name}`,
            detail: res.status,
          });
          return;
        }
        const code = res.closeCode ?? 1006;
        report.close('control', `${endpoint} ${code}`);
        const allowed = allowedCodes(endpoint, 'ws-close', true);
        for (const e of c.echo ?? []) allowed.add(e);
        if (c.weDrop) allowed.add(1006);
        const flood = c.wsFlood && endpoint === 'ws';
        if (flood) allowed.add(1006);
        if (!allowed.has(code)) {
          report.find({
            endpoint: 'control',
            what:
              code === 1006
                ? `${endpoint}: connection dropped without a close frame`
                : `${endpoint}: undocumented close ${code}`,
            replay: `raw frames on ${path}: ${c.name}`,
            detail: `${c.frames.length} frame(s), first: ${show(c.frames[0] ?? Buffer.alloc(0), 40)}`,
          });
        }
        if (c.pongs !== undefined && res.pongs < c.pongs && !flood) {
          report.find({
            endpoint: 'control',
            what: `${endpoint}: ${res.pongs}/${c.pongs} pongs for "${c.name}"`,
            replay: `raw frames on ${path}: ${c.name}`,
            detail: `close ${code}`,
          });
        }
      });
    }
  }
  const workers = Array.from({ length: concurrency }, async () => {
    for (;;) {
      const job = jobs.shift();
      if (!job) return;
      await job();
    }
  });
  await Promise.all(workers);
}

/** Deeply nested JSON in every position, for a server whose MAX_MESSAGE_BYTES allows it. */
export function deepFrames(depths: readonly number[]): FuzzFrame[] {
  const out: FuzzFrame[] = [];
  for (const d of depths) {
    out.push({ kind: `deep:t-array-${d}`, data: `{"t":${nested('[', d, '1')}}`, markers: [] });
    out.push({ kind: `deep:t-object-${d}`, data: `{"t":${nested('{"a":', d, '1')}}`, markers: [] });
    out.push({
      kind: `deep:field-${d}`,
      data: `{"t":"view","view":${nested('[', d, '1')}}`,
      markers: [],
    });
    out.push({ kind: `deep:top-${d}`, data: nested('[', d, '1'), markers: [] });
  }
  return out;
}

// ---- running many connections ------------------------------------------------------------------

export interface PoolOptions {
  /** Stop starting connections once this many frames went to the endpoint (or at the deadline). */
  frames: number;
  deadline: number;
  concurrency: number;
  length: number;
  hostile: number;
  maxBatch?: number;
  room?: string;
  /** Called between connections: false stops the pool (e.g. the server died). */
  keepGoing?: () => boolean;
}

export async function runPool(
  t: Target,
  report: Report,
  endpoint: WsEndpoint | HttpReceiver,
  o: PoolOptions,
): Promise<number> {
  const start = report.totalFrames(endpoint);
  let next = 0;
  const worker = async () => {
    while (
      report.totalFrames(endpoint) - start < o.frames &&
      Date.now() < o.deadline &&
      (o.keepGoing?.() ?? true)
    ) {
      const index = next++;
      if (endpoint === 'ws' || endpoint === 'sockjs-ws' || endpoint === 'sockjs-raw') {
        await runWs(t, report, endpoint, index, {
          length: o.length,
          hostile: o.hostile,
          room: o.room,
        });
      } else {
        await runHttp(t, report, endpoint, index, {
          length: o.length,
          hostile: o.hostile,
          maxBatch: o.maxBatch ?? 20,
          room: o.room,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return report.totalFrames(endpoint) - start;
}

/** `/sockjs/<server>/<session>/…` whose session id names a property of Object.prototype. */
function protoKeySession(path: string): boolean {
  const id = /^\/sockjs\/[^/.]+\/([^/.]+)\//.exec(new URL(path, 'http://x').pathname)?.[1];
  return id !== undefined && id in Object.prototype;
}

/** Rate limits and caps lifted, so they do not hide the parsing paths (one phase keeps them). */
export const LIFTED = {
  RATE_LIMIT: '1000000',
  RATE_BURST: '1000000',
  MAX_CONNECTIONS_PER_IP: '100000',
  MAX_SOCKETS_PER_IP: '100000',
  MAX_SEATS_PER_IP: '100000',
  MAX_ROOM_USERS: '100000',
  MAX_NEW_ROOMS_PER_MIN: '1000000',
  PRESENCE_RATE: '1000000',
  PRESENCE_BURST: '1000000',
};
