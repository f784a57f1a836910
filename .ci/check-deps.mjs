// Dependency hygiene for production dependencies, run by .ci/run (and `pnpm audit:deps`).
//
// 1. `pnpm audit --prod --audit-level high`: fails on high or critical advisories, except the
//    ones listed with a reason in dependency-policy.json's auditExceptions. When the registry's
//    audit service cannot be reached (some mirrors answer 405), this step says so loudly and
//    the check relies on step 2 alone.
// 2. The minimum versions in dependency-policy.json, checked against every installed copy.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const policy = JSON.parse(
  readFileSync(new URL('./dependency-policy.json', import.meta.url), 'utf8'),
);
let failed = false;

const audit = spawnSync('pnpm', ['audit', '--prod', '--audit-level', 'high', '--json'], {
  encoding: 'utf8',
});
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = undefined;
}
if (report?.advisories) {
  const exceptions = new Set(policy.auditExceptions.map((e) => String(e.id)));
  const serious = Object.values(report.advisories).filter(
    (a) => ['high', 'critical'].includes(a.severity) && !exceptions.has(String(a.id)),
  );
  for (const a of serious)
    console.error(`audit: ${a.severity} ${a.module_name}: ${a.title} (${a.url})`);
  if (serious.length > 0) failed = true;
  else console.log('audit: no high or critical advisories in production dependencies');
} else {
  const why = (audit.stderr || audit.stdout || '').trim().split('\n').slice(0, 3).join(' ');
  console.warn(`audit: WARNING, the registry's audit service gave no report (${why})`);
  console.warn('audit: relying on the minimum versions in .ci/dependency-policy.json only');
}

const tree = JSON.parse(
  execFileSync('pnpm', ['list', '-r', '--prod', '--depth', 'Infinity', '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);
const installed = new Map();
const walk = (deps) => {
  for (const [name, info] of Object.entries(deps ?? {})) {
    if (!installed.has(name)) installed.set(name, new Set());
    if (info.version) installed.get(name).add(info.version);
    walk(info.dependencies);
  }
};
for (const project of tree) walk(project.dependencies);

const parts = (v) => v.split(/[.+-]/).slice(0, 3).map(Number);
const atLeast = (v, min) => {
  const [a, b] = [parts(v), parts(min)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};
for (const { name, min, why } of policy.minimums) {
  const versions = [...(installed.get(name) ?? [])];
  const bad = versions.filter((v) => !atLeast(v, min));
  if (bad.length > 0) {
    console.error(`policy: ${name} ${bad.join(', ')} is below ${min}: ${why}`);
    failed = true;
  } else {
    console.log(`policy: ${name} ${versions.join(', ') || '(not installed)'} >= ${min}`);
  }
}
process.exit(failed ? 1 : 0);
