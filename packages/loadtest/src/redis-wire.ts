/**
 * Just enough of Redis's wire protocol (RESP2) to ask our own redis-server two things: PING (is it
 * up?) and INFO (how much traffic went through it?). The server's backplane uses ioredis; the
 * bench only needs these two commands, so it speaks them directly instead of taking a dependency.
 */

/** A command as Redis expects it from a client: an array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

export type Reply =
  | { kind: 'ok'; value: string }
  | { kind: 'error'; value: string }
  /** A null bulk string ($-1): the key or value does not exist. */
  | { kind: 'null' };

/**
 * The first whole reply in `buffer`, or undefined while more bytes are needed. Handles the reply
 * types PING and INFO give (simple string, error, integer, bulk string); arrays are not needed.
 */
export function parseReply(buffer: Buffer): Reply | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[0] ?? 0);
  const line = buffer.toString('utf8', 1, lineEnd);
  if (type === '+' || type === ':') return { kind: 'ok', value: line };
  if (type === '-') return { kind: 'error', value: line };
  if (type === '$') {
    const length = Number(line);
    if (length < 0) return { kind: 'null' };
    const start = lineEnd + 2;
    if (buffer.length < start + length + 2) return undefined;
    return { kind: 'ok', value: buffer.toString('utf8', start, start + length) };
  }
  return { kind: 'error', value: `unexpected reply type ${JSON.stringify(type)}` };
}

/** INFO's text ("# Stats\r\nfield:value\r\n…") as field → value; section headers are skipped. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** What went through Redis so far, from INFO stats and commandstats (counters since it started). */
export interface RedisTraffic {
  commands: number;
  /** PUBLISH calls: the backplane's messages (cursor batches, joins, leaves…). */
  publishes: number;
  /** Bytes Redis read from its clients and wrote to them (network payload, RESP included). */
  inBytes: number;
  outBytes: number;
}

export function trafficOf(info: ReadonlyMap<string, string>): RedisTraffic {
  const number = (field: string) => Number(info.get(field) ?? Number.NaN);
  // commandstats: "cmdstat_publish:calls=123,usec=…"; absent until the first PUBLISH.
  const publish = info.get('cmdstat_publish');
  const calls = publish === undefined ? '0' : /(?:^|,)calls=(\d+)/.exec(publish)?.[1];
  return {
    commands: number('total_commands_processed'),
    publishes: Number(calls ?? Number.NaN),
    inBytes: number('total_net_input_bytes'),
    outBytes: number('total_net_output_bytes'),
  };
}
