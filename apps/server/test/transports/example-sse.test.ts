import { describeTransportContract } from './contract.ts';
import { sseClientTransport } from './example-sse-client.ts';
import { sseTransport } from './example-sse-server.ts';

// The recipe's transport keeps the same contract as the shipped ones, on its own port.
describeTransportContract({
  label: 'sse (example, own listener)',
  server: sseTransport(),
  client: sseClientTransport,
});
