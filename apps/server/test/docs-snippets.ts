/**
 * The snippet checker behind docs-snippets.test.ts, kept apart so its own matching can be tested.
 *
 * A code block in the docs that quotes project code is preceded by a marker line naming the file
 * it comes from, relative to the repository root:
 *
 *     <!-- snippet: packages/client/src/backoff.ts -->
 *     ```ts
 *     export const defaultBackoff: BackoffOptions = { baseMs: 1000, capMs: 30_000 };
 *     ```
 *
 * The block must appear in that file as consecutive lines, word for word. Indentation may differ
 * as a whole (a method quoted out of its class), trailing whitespace is ignored, nothing else is:
 * a changed line, a reordered one or a gap makes the check fail, so the docs cannot drift from the
 * code they teach. Blocks without a marker (shell commands, sketches) are not checked.
 */

export interface Snippet {
  /** The file the block quotes, relative to the repository root. */
  path: string;
  /** The block's text, without its fences. */
  code: string;
  /** 1-based line of the marker in the Markdown file, for the failure message. */
  line: number;
}

const MARKER = /^<!--\s*snippet:\s*(\S+)\s*-->\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;

/**
 * Every marked block of a Markdown text. A marker must be followed by a fenced block on the next
 * line; a marker with no block after it is reported as a snippet with no code, so that it fails
 * rather than passes in silence.
 */
export function findSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i] ?? '');
    if (!marker?.[1]) continue;
    const snippet: Snippet = { path: marker[1], code: '', line: i + 1 };
    found.push(snippet);
    const open = FENCE.exec(lines[i + 1] ?? '');
    if (!open?.[1]) continue;
    const fence = open[1];
    const body: string[] = [];
    let j = i + 2;
    for (; j < lines.length; j++) {
      // A closing fence is the same character, at least as long, with nothing after it.
      const close = FENCE.exec(lines[j] ?? '')?.[1];
      if (close !== undefined && close[0] === fence[0] && close.length >= fence.length) {
        if ((lines[j] ?? '').trim() === close) break;
      }
      body.push(lines[j] ?? '');
    }
    snippet.code = body.join('\n');
    i = j;
  }
  return found;
}

/** Lines with trailing whitespace removed and the indentation they all share taken off. */
export function dedent(lines: readonly string[]): string[] {
  const trimmed = lines.map((l) => l.trimEnd());
  const indents = trimmed.filter((l) => l.length > 0).map((l) => l.length - l.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return trimmed.map((l) => l.slice(common));
}

/** The snippet's lines, blank lines at either end dropped (they are layout, not code). */
function snippetLines(code: string): string[] {
  const lines = dedent(code.split('\n'));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Whether the snippet is a run of consecutive lines of the source, once both sides lose their
 * common indentation and trailing whitespace. An empty snippet never matches.
 */
export function snippetMatches(code: string, source: string): boolean {
  const want = snippetLines(code);
  if (want.length === 0) return false;
  const have = source.split('\n').map((l) => l.trimEnd());
  const first = want[0] ?? '';
  for (let start = 0; start + want.length <= have.length; start++) {
    // Cheap filter first: the first line must match up to indentation.
    if ((have[start] ?? '').trimStart() !== first.trimStart()) continue;
    const window = dedent(have.slice(start, start + want.length));
    if (window.every((line, k) => line === want[k])) return true;
  }
  return false;
}

/**
 * Repository paths a Markdown text names in backticks: `apps/server/src/config.ts`,
 * `docs/benchmark.md`, `e2e/tests/`. Only words whose first segment is one of the given top-level
 * entries count, so `sockjs/xhr-streaming` or `a/b` are left alone; a `path:line` suffix and a
 * trailing slash are allowed.
 */
export function backtickPaths(markdown: string, topLevel: ReadonlySet<string>): string[] {
  const paths = new Set<string>();
  for (const match of markdown.matchAll(/`([^`\s]+)`/g)) {
    const word = (match[1] ?? '').replace(/:\d+(-\d+)?$/, '');
    const first = word.split('/')[0] ?? '';
    if (!word.includes('/') && !(topLevel.has(word) && /\.\w+$/.test(word))) continue;
    if (!topLevel.has(first)) continue;
    if (!/^[\w.@/-]+$/.test(word)) continue;
    paths.add(word.replace(/\/$/, ''));
  }
  return [...paths];
}
