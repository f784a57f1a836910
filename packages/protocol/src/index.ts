export * from './codec.ts';
export * from './compact.ts';
export * from './constants.ts';
export * from './identity.ts';
export * from './messages.ts';
export * from './token-bucket.ts';
export * from './transports.ts';
