/**
 * What worked last time, per server origin: after WebSocket failed and SockJS got in, reconnects
 * and the next visit go straight to SockJS until the entry expires, then WebSocket is tried again
 * (the network may have changed). Kept in localStorage in a browser, in this process elsewhere.
 */
export interface Remembered {
  /** Why WebSocket was given up, for the status badge, e.g. "WebSocket blocked". */
  reason: string;
  /** Date.now() after which WebSocket is worth another try. */
  until: number;
}

export interface TransportMemory {
  get(origin: string): Remembered | undefined;
  set(origin: string, value: Remembered): void;
  forget(origin: string): void;
}

/** Ten minutes: long enough to spare every reconnect the failed try, short enough to notice a new network. */
export const REMEMBER_MS = 10 * 60_000;
const KEY = 'cursorline:transport:';

/** localStorage when there is one (and it works: private modes may throw), else a Map. */
export function defaultTransportMemory(): TransportMemory {
  const storage = usableStorage();
  if (!storage) return mapMemory(processMemory);
  return {
    get: (origin) => parse(storage.getItem(KEY + origin)),
    // A full or locked storage only costs the next visit one WebSocket attempt: never throw.
    set: (origin, value) => quietly(() => storage.setItem(KEY + origin, JSON.stringify(value))),
    forget: (origin) => quietly(() => storage.removeItem(KEY + origin)),
  };
}

const processMemory = new Map<string, Remembered>();

function mapMemory(map: Map<string, Remembered>): TransportMemory {
  return {
    get: (origin) => map.get(origin),
    set: (origin, value) => void map.set(origin, value),
    forget: (origin) => void map.delete(origin),
  };
}

function usableStorage(): Storage | undefined {
  try {
    const storage = (globalThis as { localStorage?: Storage }).localStorage;
    storage?.getItem(KEY);
    return storage;
  } catch {
    return undefined;
  }
}

function parse(raw: string | null): Remembered | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Remembered>;
    if (typeof value.reason === 'string' && typeof value.until === 'number') {
      return { reason: value.reason.slice(0, 60), until: value.until };
    }
  } catch {
    // not ours, or from an older version: ignore
  }
  return undefined;
}

function quietly(write: () => void): void {
  try {
    write();
  } catch {
    // see defaultTransportMemory
  }
}
