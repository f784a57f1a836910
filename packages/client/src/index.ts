export { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
export {
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
