import { CLIENT_TRANSPORTS } from '@cursorline/client';
import { TRANSPORT_NAMES } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { SERVER_TRANSPORTS } from '../../src/transports/registry.ts';
import { type ContractSubject, describeTransportContract } from './contract.ts';

/**
 * Every registered server transport, with the client transport of the same name, keeps the
 * contract. SockJS runs twice: over its WebSocket and over an HTTP fallback.
 */
describe('the registries', () => {
  it('serve and speak exactly the shipped transports (the protocol package names them once)', () => {
    expect(SERVER_TRANSPORTS.map((t) => t.name)).toEqual(TRANSPORT_NAMES);
    expect(CLIENT_TRANSPORTS.map((t) => t.name)).toEqual(TRANSPORT_NAMES);
  });
});

const subjects: ContractSubject[] = SERVER_TRANSPORTS.flatMap((server) => {
  const client = CLIENT_TRANSPORTS.find((c) => c.name === server.name);
  if (!client) throw new Error(`no client transport for ${server.name}`);
  if (server.name !== 'sockjs') return [{ label: server.name, server, client }];
  return [
    { label: 'sockjs (websocket)', server, client, options: { sockjsTransports: ['websocket'] } },
    {
      label: 'sockjs (xhr-streaming)',
      server,
      client,
      options: { sockjsTransports: ['xhr-streaming'] },
      skip: {
        origin: "sockjs-client's HTTP transports send no headers of ours in Node",
        // The bye is a POST that the close right after it cuts off; the page's /leave beacon
        // is what makes a closing tab leave at once there (leave-anywhere.test.ts).
        'clean-close': 'the goodbye travels by the /leave beacon on HTTP transports',
      },
    },
  ];
});

for (const subject of subjects) describeTransportContract(subject);
