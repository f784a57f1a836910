// Assembles the production release: one self-contained directory that runs with `node` alone.
//
//   release/
//     server/dist/main.js   the server bundle (workspace packages inlined by apps/server/build.mjs)
//     web/dist/             the built page, where main.js looks for it (../../web/dist)
//     node_modules/         the server's production dependencies only (pnpm deploy --prod)
//     package.json          `npm start` → node server/dist/main.js
//
// Run after the build (`pnpm release` does both). `--out <dir>` writes elsewhere (the e2e test
// uses a temporary directory). The Dockerfile copies exactly this directory.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string', default: 'release' } } });
const out = resolve(root, values.out);

for (const built of ['apps/server/dist/main.js', 'apps/web/dist/index.html']) {
  if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run pnpm build first`);
}

rmSync(out, { recursive: true, force: true });
cpSync(join(root, 'apps/server/dist'), join(out, 'server/dist'), { recursive: true });
cpSync(join(root, 'apps/web/dist'), join(out, 'web/dist'), { recursive: true });

// pnpm deploy resolves the server's production dependencies from the lockfile and the local
// store (no registry needed once `pnpm install` has run) into a directory of their own.
const staging = mkdtempSync(join(tmpdir(), 'cursorline-release-'));
try {
  execFileSync(
    'pnpm',
    ['--filter', '@cursorline/server', 'deploy', '--prod', '--offline', join(staging, 'server')],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  renameSync(join(staging, 'server/node_modules'), join(out, 'node_modules'));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
// The workspace packages are inside the bundle already.
rmSync(join(out, 'node_modules/@cursorline'), { recursive: true, force: true });
for (const entry of readdirSync(join(out, 'node_modules/.pnpm'))) {
  if (entry.startsWith('@cursorline+')) {
    rmSync(join(out, 'node_modules/.pnpm', entry), { recursive: true, force: true });
  }
}

const server = JSON.parse(readFileSync(join(root, 'apps/server/package.json'), 'utf8'));
const dependencies = Object.fromEntries(
  Object.entries(server.dependencies).filter(([name]) => !name.startsWith('@cursorline/')),
);
writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: 'cursorline-release',
      version: server.version,
      private: true,
      type: 'module',
      engines: { node: '>=20.19' },
      scripts: { start: 'node server/dist/main.js' },
      dependencies,
    },
    null,
    2,
  )}\n`,
);
console.log(`release written to ${out}`);
