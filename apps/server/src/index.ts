export { configFromEnv, defaultConfig, type ServerConfig, type TransportName } from './config.ts';
export { type CursorlineServer, createServer } from './server.ts';
export type { Admission, ConnectionSlot } from './transports/admission.ts';
export { SERVER_TRANSPORTS } from './transports/registry.ts';
export type {
  AttachedTransport,
  Connection,
  ConnectionHandler,
  ServerTransport,
  TransportContext,
} from './transports/transport.ts';
