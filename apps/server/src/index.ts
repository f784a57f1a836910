export { configFromEnv, defaultConfig, type ServerConfig, type TransportName } from './config.ts';
export { type CursorlineServer, createServer } from './server.ts';
