import { TRANSPORT_NAMES, type TransportName } from '@cursorline/protocol';
import { sockjsTransport } from './sockjs.ts';
import type { ServerTransport } from './transport.ts';
import { wsTransport } from './ws.ts';

/**
 * Every transport this server ships, one module each, by the names the protocol package gives
 * them (TRANSPORTS). A name there without a module here does not compile. TRANSPORTS (the
 * environment variable) picks among them, all by default; the server routes requests and
 * upgrades to them in this order and starts the listeners of those that own one. The suite in
 * test/transports/contract.test.ts runs against every entry. docs/recipes/add-a-transport.md
 * walks through adding one.
 */
const byName: { readonly [N in TransportName]: ServerTransport & { readonly name: N } } = {
  ws: wsTransport,
  sockjs: sockjsTransport,
};

export const SERVER_TRANSPORTS: readonly ServerTransport[] = TRANSPORT_NAMES.map((n) => byName[n]);
