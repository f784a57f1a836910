import { sockjsTransport } from './sockjs.ts';
import type { ServerTransport } from './transport.ts';
import { wsTransport } from './ws.ts';

/**
 * Every transport this server can serve: one module each, listed once, here. TRANSPORTS picks
 * among them by name (all by default); the server routes requests and upgrades to them in this
 * order and starts the listeners of those that own one. The test suite in
 * test/transports/contract.test.ts runs against every entry. To add one, see
 * docs/recipes/add-a-transport.md.
 */
export const SERVER_TRANSPORTS: readonly ServerTransport[] = [wsTransport, sockjsTransport];
