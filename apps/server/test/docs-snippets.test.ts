import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backtickPaths, dedent, findSnippets, snippetMatches } from './docs-snippets.ts';

/**
 * Code quoted in the docs is the code: every block marked `<!-- snippet: path -->` in README.md,
 * PROTOCOL.md and docs/**\/*.md must still be in the file it names, and every repository path the
 * course, the recipes and the READMEs name in backticks or link to must exist. Change the code
 * and the docs in the same commit.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

function markdownUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownUnder(path));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out.sort();
}

const documents = ['README.md', 'PROTOCOL.md', ...markdownUnder('docs')];
const course = markdownUnder('docs/course');
/** Docs whose paths and links are checked too: the course, the recipes, the READMEs. */
const guides = [...course, ...markdownUnder('docs/recipes'), 'README.md', 'apps/web/src/README.md'];
const topLevel = new Set(readdirSync(root).filter((name) => name !== 'node_modules'));

describe('the checker itself', () => {
  const source = [
    'export class Box {',
    '  open(): void {',
    '    if (this.locked) return;',
    '    this.isOpen = true;   ',
    '  }',
    '}',
  ].join('\n');

  it('finds a quoted method, whatever its indentation in the docs', () => {
    const quoted = ['open(): void {', '  if (this.locked) return;', '  this.isOpen = true;', '}'];
    expect(snippetMatches(quoted.join('\n'), source)).toBe(true);
    expect(snippetMatches(quoted.map((l) => `      ${l}`).join('\n'), source)).toBe(true);
  });

  it('fails on a drifted line, a reordered one and a gap', () => {
    const drifted = ['open(): void {', '  if (this.locked) return;', '  this.isOpen = false;', '}'];
    expect(snippetMatches(drifted.join('\n'), source)).toBe(false);
    const reordered = ['  this.isOpen = true;', '  if (this.locked) return;'];
    expect(snippetMatches(reordered.join('\n'), source)).toBe(false);
    const gap = ['export class Box {', '    if (this.locked) return;'];
    expect(snippetMatches(gap.join('\n'), source)).toBe(false);
  });

  it('does not let indentation inside the block change', () => {
    const flattened = ['open(): void {', 'if (this.locked) return;', 'this.isOpen = true;', '}'];
    expect(snippetMatches(flattened.join('\n'), source)).toBe(false);
  });

  it('never matches an empty block', () => {
    expect(snippetMatches('\n  \n', source)).toBe(false);
  });

  it('reads markers and fences from Markdown, and reports a marker without a block', () => {
    const markdown = [
      'Text.',
      '<!-- snippet: apps/x.ts -->',
      '```ts',
      '  a();',
      '```',
      '```sh',
      'not checked',
      '```',
      '<!-- snippet: apps/y.ts -->',
      'no block here',
    ].join('\n');
    expect(findSnippets(markdown)).toEqual([
      { path: 'apps/x.ts', code: '  a();', line: 2 },
      { path: 'apps/y.ts', code: '', line: 9 },
    ]);
  });

  it('drops common indentation and trailing whitespace', () => {
    expect(dedent(['    a  ', '', '      b'])).toEqual(['a', '', '  b']);
  });

  it('picks repository paths out of backticks, and only those', () => {
    const text =
      '`apps/server/src/config.ts:12`, `docs/`, `README.md`, `sockjs/xhr-polling`, `a/b`';
    expect(backtickPaths(text, new Set(['apps', 'docs', 'README.md']))).toEqual([
      'apps/server/src/config.ts',
      'docs',
      'README.md',
    ]);
  });

  it('fails on a real file whose quoted line was changed', () => {
    const real = read('packages/client/src/backoff.ts');
    const line = 'export const defaultBackoff: BackoffOptions = { baseMs: 1000, capMs: 30_000 };';
    expect(snippetMatches(line, real)).toBe(true);
    expect(snippetMatches(line.replace('30_000', '60_000'), real)).toBe(false);
  });
});

describe('quoted code in the docs', () => {
  const snippets = documents.flatMap((doc) =>
    findSnippets(read(doc)).map((s) => ({ ...s, where: `${doc}:${s.line}` })),
  );

  it('finds the course and its snippets', () => {
    expect(course.length).toBeGreaterThanOrEqual(9);
    for (const chapter of course.filter((c) => /\/\d\d-/.test(c))) {
      expect(
        snippets.some((s) => s.where.startsWith(`${chapter}:`)),
        `${chapter} quotes no checked code`,
      ).toBe(true);
    }
  });

  it.each(snippets.map((s) => [s.where, s] as const))('%s is still in its file', (_where, s) => {
    expect(s.code.trim(), 'the marker must be followed at once by a fenced code block').not.toBe(
      '',
    );
    expect(existsSync(join(root, s.path)), `${s.path} does not exist`).toBe(true);
    expect(snippetMatches(s.code, read(s.path)), `the block differs from ${s.path}`).toBe(true);
  });
});

describe('paths the guides name', () => {
  it.each(guides)('%s names only files that exist', (chapter) => {
    const missing = backtickPaths(read(chapter), topLevel).filter(
      (path) => !existsSync(join(root, path)),
    );
    expect(missing).toEqual([]);
  });

  it.each(guides)('%s links only to files that exist', (chapter) => {
    const dir = join(root, chapter, '..');
    const missing = [...read(chapter).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] ?? '')
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => !existsSync(join(dir, target)))
      .map((target) => relative(root, join(dir, target)));
    expect(missing).toEqual([]);
  });
});
