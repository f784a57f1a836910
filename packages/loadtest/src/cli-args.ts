/**
 * `pnpm bots -- --room demo` reaches the script with a literal "--" still in front of the
 * options (the root script forwards its arguments to `pnpm --filter … run bots`). parseArgs
 * would read everything after it as positionals, so drop a leading "--".
 */
export function scriptArgs(argv: readonly string[] = process.argv.slice(2)): string[] {
  return argv[0] === '--' ? argv.slice(1) : [...argv];
}

/** A whole number within [min, max], or a clear error naming the option. */
export function intOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/** A number within [min, max], or a clear error naming the option. */
export function numberOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}
