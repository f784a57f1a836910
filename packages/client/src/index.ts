export { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
export { LatestWins } from './latest-wins.ts';
export {
  type Activity,
  type ClientEvents,
  type ClientOptions,
  PresenceClient,
  type Status,
  type StatusDetail,
} from './presence-client.ts';
export {
  SOCKJS_TRANSPORTS,
  type SockjsTransport,
  type TransportName,
  type WebSocketClass,
} from './socket.ts';
