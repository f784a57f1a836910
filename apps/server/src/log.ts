import { pino } from 'pino';

/** Structured JSON logs. We log events and ids, never message contents. */
export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'cursorline' } });
}
