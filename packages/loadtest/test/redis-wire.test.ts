import { describe, expect, it } from 'vitest';
import { encodeCommand, parseInfo, parseReply, trafficOf } from '../src/redis-wire.ts';

describe('encodeCommand', () => {
  it('sends an array of bulk strings, lengths in bytes', () => {
    expect(encodeCommand(['PING']).toString()).toBe('*1\r\n$4\r\nPING\r\n');
    expect(encodeCommand(['INFO', 'stats', 'é']).toString()).toBe(
      '*3\r\n$4\r\nINFO\r\n$5\r\nstats\r\n$2\r\né\r\n',
    );
  });
});

describe('parseReply', () => {
  it('reads simple strings, integers, errors and nulls', () => {
    expect(parseReply(Buffer.from('+PONG\r\n'))).toEqual({ kind: 'ok', value: 'PONG' });
    expect(parseReply(Buffer.from(':42\r\n'))).toEqual({ kind: 'ok', value: '42' });
    expect(parseReply(Buffer.from('-ERR unknown\r\n'))).toEqual({
      kind: 'error',
      value: 'ERR unknown',
    });
    expect(parseReply(Buffer.from('$-1\r\n'))).toEqual({ kind: 'null' });
  });

  it('waits for a whole bulk string, which may arrive in pieces', () => {
    const whole = Buffer.from('$12\r\n# Stats\r\na:1\r\n');
    expect(parseReply(whole.subarray(0, 3))).toBeUndefined();
    expect(parseReply(whole.subarray(0, 10))).toBeUndefined();
    expect(parseReply(whole.subarray(0, whole.length - 1))).toBeUndefined();
    expect(parseReply(whole)).toEqual({ kind: 'ok', value: '# Stats\r\na:1' });
  });
});

describe('INFO', () => {
  const info = [
    '# Stats',
    'total_connections_received:7',
    'total_commands_processed:1500',
    'total_net_input_bytes:204800',
    'total_net_output_bytes:409600',
    '',
    '# Commandstats',
    'cmdstat_publish:calls=1200,usec=3000,usec_per_call=2.50,rejected_calls=0,failed_calls=0',
    'cmdstat_set:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
    '',
  ].join('\r\n');

  it('parses fields and skips section headers', () => {
    const fields = parseInfo(info);
    expect(fields.get('total_connections_received')).toBe('7');
    expect(fields.has('# Stats')).toBe(false);
    expect(fields.get('cmdstat_set')).toMatch(/^calls=10,/);
  });

  it('takes the traffic counters, publish calls included', () => {
    expect(trafficOf(parseInfo(info))).toEqual({
      commands: 1500,
      publishes: 1200,
      inBytes: 204800,
      outBytes: 409600,
    });
  });

  it('counts no publishes before the first one (no commandstats line yet)', () => {
    const traffic = trafficOf(parseInfo('total_commands_processed:3\r\n'));
    expect(traffic.publishes).toBe(0);
    expect(traffic.inBytes).toBeNaN();
  });
});
