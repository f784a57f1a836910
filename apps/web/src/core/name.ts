import { NameSchema } from '@cursorline/protocol';

const STORAGE_KEY = 'cursorline:name';

/**
 * The same rules the server applies (trimmed, 1-32 characters, no control characters). Checking
 * here matters: the server answers a bad name by closing the connection for good.
 */
export function cleanName(input: string): string | null {
  const parsed = NameSchema.safeParse(input);
  return parsed.success ? parsed.data : null;
}

function randomName(): string {
  return `Guest ${1000 + Math.floor(Math.random() * 9000)}`;
}

/** localStorage throws when storage is disabled (some private modes); the name is then per page. */
function read(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveName(name: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // Not fatal: the name still applies to this page.
  }
}

/** The stored name, or a fresh random one that is saved so the next visit keeps it. */
export function loadName(): string {
  const stored = cleanName(read() ?? '');
  if (stored) return stored;
  const name = randomName();
  saveName(name);
  return name;
}
