import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/deploy.md shows the proxy configurations the e2e tests run: each block marked
 * `<!-- deploy/<file> -->` must be that file, byte for byte, so the guide cannot drift from
 * what is tested.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8');

describe('docs/deploy.md', () => {
  const doc = read('docs/deploy.md');
  const blocks = new Map(
    [...doc.matchAll(/<!-- (deploy\/[\w.-]+) -->\n```\w*\n([\s\S]*?)```/g)].map((m) => [
      m[1],
      m[2],
    ]),
  );

  it.each(['deploy/nginx.conf', 'deploy/haproxy.cfg'])('shows %s exactly', (file) => {
    expect(blocks.has(file)).toBe(true);
    expect(blocks.get(file)).toBe(read(file));
  });
});
