import { readdirSync, readFileSync } from 'node:fs';

/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and lists where the time went: self
 * time per function, the way the "Bottom-up" tab of Chrome DevTools shows it.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
}

export interface HotFunction {
  name: string;
  /** Share of the samples in which the process was doing something (idle excluded), in %. */
  pct: number;
}

export function hotFunctions(profile: CpuProfile, top = 15): HotFunction[] {
  const byName = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || hits === 0) continue;
    const file = url
      .replace(/^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '')
      .replace(/^file:\/\/.*\/apps\//, 'apps/');
    const name = url ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}` : functionName;
    byName.set(name, (byName.get(name) ?? 0) + hits);
    busy += hits;
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, hits]) => ({ name, pct: (100 * hits) / busy }));
}

/** The profile a process with this pid wrote into `dir`, if any. */
export function profileOf(dir: string, pid: number): CpuProfile | undefined {
  const file = readdirSync(dir).find((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile'));
  return file ? (JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as CpuProfile) : undefined;
}
