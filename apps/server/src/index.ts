export { configFromEnv, defaultConfig, type ServerConfig, type TransportName } from './config.ts';
export { createServer, type CursorlineServer } from './server.ts';
