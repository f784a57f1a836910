export { type AutoOptions, WS_TIMEOUT_MS } from './auto-socket.ts';
export { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
export { LatestWins } from './latest-wins.ts';
export {
  type Activity,
  type ClientEvents,
  type ClientOptions,
  PresenceClient,
  type Relayed,
  type RelayedMessage,
  type RelayedType,
  relayListener,
  type Status,
  type StatusDetail,
} from './presence-client.ts';
export {
  CLIENT_TRANSPORTS,
  type ClientTransport,
  clientTransport,
  openSocket,
  type SocketEvents,
  type SocketOptions,
  type TransportChoice,
  type TransportName,
  type WebSocketClass,
  type WireSocket,
} from './socket.ts';
export {
  defaultTransportMemory,
  REMEMBER_MS,
  type Remembered,
  type TransportMemory,
} from './transport-memory.ts';
export { SOCKJS_TRANSPORTS, type SockjsTransport } from './transport-sockjs.ts';
export * from './users.ts';
