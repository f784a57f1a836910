import { readFileSync } from 'node:fs';
import { CloseCode, MESSAGE_RATES } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { NodeEventSchema, RoomEventSchema } from '../src/backplane/messages.ts';
import { defaultConfig, ENV_VARIABLES } from '../src/config.ts';

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

  it("PROTOCOL.md's rate table is MESSAGE_RATES, row by row", () => {
    const protocol = read('PROTOCOL.md');
    const section = protocol.slice(
      protocol.indexOf('### Rate limits'),
      protocol.indexOf('## Cursor'),
    );
    const rows = [...section.matchAll(/^\| (`.+?`.*?) +\| (\d+) +\| (\d+) +\| (.+?) +\|$/gm)];
    const listed = new Map<string, { perSec: number; burst: number; over: string }>();
    for (const [, types = '', perSec, burst, over = ''] of rows) {
      for (const [, t = ''] of types.matchAll(/`(\w+)`/g)) {
        listed.set(t, {
          perSec: Number(perSec),
          burst: Number(burst),
          over: over.startsWith('dropped') ? 'drop' : 'apply',
        });
      }
    }
    expect(Object.fromEntries(listed)).toEqual(
      Object.fromEntries(
        Object.entries(MESSAGE_RATES).map(([t, { perSec, burst, over }]) => [
          t,
          { perSec, burst, over },
        ]),
      ),
    );
  });

  it('the presence-write limit the server defaults to is the protocol one', () => {
    expect(defaultConfig.presenceRatePerSec).toBe(MESSAGE_RATES.name.perSec);
    expect(defaultConfig.presenceBurst).toBe(MESSAGE_RATES.name.burst);
  });

  it("PROTOCOL.md's backplane section lists every room and node event", () => {
    const protocol = read('PROTOCOL.md');
    const section = (title: string) => {
      const from = protocol.indexOf(title);
      return protocol.slice(from, protocol.indexOf('\n### ', from + title.length));
    };
    // Each row's first cell (the header's is `t` itself).
    const types = (text: string) =>
      [...text.matchAll(/^\| `(\w+)` +\|/gm)].map((m) => m[1]).filter((t) => t !== 't');
    const kinds = (schema: { options: readonly { shape: { t: { value: string } } }[] }) =>
      schema.options.map((o) => o.shape.t.value);
    expect(types(section('### Room events')).sort()).toEqual(kinds(RoomEventSchema).sort());
    expect(types(section('### Node events')).sort()).toEqual(kinds(NodeEventSchema).sort());
  });
});
