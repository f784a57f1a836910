import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * The programs' own checks, on the files as the tests fill them in: no errors and no warnings
 * (HAProxy warns, for one, when `balance uri` meets a TCP-mode proxy and falls back to round
 * robin). Needs nginx and haproxy installed (.ci/ensure-system.sh).
 */
describe('deploy/ configurations', () => {
  const fill = (file: string, runDir: string) =>
    read(file)
      .replaceAll('@PORT@', file.endsWith('nginx.conf') ? '127.0.0.1:18999' : '18998')
      .replaceAll('@NODE1@', '127.0.0.1:18001')
      .replaceAll('@NODE2@', '127.0.0.1:18002')
      .replaceAll('@RUN_DIR@', runDir);
  const program = (name: string) =>
    spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name}`])
      .stdout.toString()
      .trim()
      .split('\n')[0] ?? name;

  it('haproxy -c: valid, without warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cursorline-haproxy-check-'));
    try {
      writeFileSync(join(dir, 'haproxy.cfg'), fill('deploy/haproxy.cfg', dir));
      const run = spawnSync(program('haproxy'), ['-c', '-f', join(dir, 'haproxy.cfg')]);
      const output = run.stdout.toString() + run.stderr.toString();
      expect(run.status, output).toBe(0);
      expect(output).not.toMatch(/WARNING|ALERT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nginx -t: valid, without warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cursorline-nginx-check-'));
    try {
      writeFileSync(join(dir, 'nginx.conf'), fill('deploy/nginx.conf', dir));
      const args = ['-t', '-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')];
      const run = spawnSync(program('nginx'), args);
      const output = run.stdout.toString() + run.stderr.toString();
      expect(run.status, output).toBe(0);
      expect(output).not.toMatch(/\[warn\]|\[emerg\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
