import { readFileSync } from 'node:fs';
import { CloseCode } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../src/config.ts';

/** The docs are part of the feature: what they list must be what the code has. */
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('docs match the code', () => {
  it("README's configuration table lists every environment variable the server reads", () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Testing'));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(ENV_VARIABLES));
  });

  it("PROTOCOL.md's close-code table lists every close code the server sends", () => {
    const protocol = read('PROTOCOL.md');
    const listed = [...protocol.matchAll(/^\| (\d{4}) \|/gm)].map((m) => Number(m[1]));
    for (const code of Object.values(CloseCode)) expect(listed).toContain(code);
  });
});
