import { readFileSync } from 'node:fs';

/**
 * What Linux says about a process, read from /proc (no dependency, no sampling agent). Times are
 * in clock ticks of USER_HZ, which is 100 on every Linux we run on (`getconf CLK_TCK`).
 */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) the process has used so far. */
export function processCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds one thread of this process has used so far. Linux keeps a stat file per thread
 * (task); the main thread's id is the process id, a worker's is what it reads from
 * /proc/thread-self/stat (see crowd-worker.ts).
 */
export function threadCpuSeconds(tid: number): number {
  return statCpuSeconds(`/proc/self/task/${tid}/stat`);
}

/** The calling thread's own Linux thread id (field 1 of its stat line). */
export function ownThreadId(): number {
  return Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ', 1)[0]);
}

function statCpuSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export interface Memory {
  /** Resident set size now (MiB). */
  rssMiB: number;
  /** Highest resident set size since the process started (MiB). */
  peakMiB: number;
}

export function processMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN');
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** CPU seconds all processes on the machine used so far (busy = everything but idle and iowait). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  return (total - idle) / TICKS_PER_SECOND;
}

/**
 * CPU use as a percentage of one core between start() and read(), for the server's processes
 * (from /proc: one server, or several nodes and redis-server), this generator process
 * (process.cpuUsage: all its threads together), each of the generator's JavaScript threads (the
 * observers' main thread and the crowd's worker; each runs one event loop, so each saturates at
 * 100 %), and the whole machine (/proc/stat), so that load from anything else running on the
 * machine shows up next to the numbers it may have disturbed.
 */
export class CpuMeter {
  private wall = 0;
  private server: number[] = [];
  private generator = 0;
  private threads: number[] = [];
  private machine = 0;

  constructor(
    private readonly serverPids: readonly number[],
    /** The generator's threads to report one by one: main is process.pid, then the worker's. */
    private readonly generatorThreads: readonly number[] = [process.pid],
  ) {}

  start(): void {
    this.wall = performance.now();
    this.server = this.serverPids.map(processCpuSeconds);
    this.generator = generatorCpuSeconds();
    this.threads = this.generatorThreads.map(threadCpuSeconds);
    this.machine = machineBusySeconds();
  }

  /** serverPct is all the server's processes together; processPct each, in the order given. */
  read(): {
    serverPct: number;
    processPct: number[];
    generatorPct: number;
    /** Per generator thread, in the order given; the busiest says whether it was saturated. */
    threadPct: number[];
    otherPct: number;
    seconds: number;
  } {
    const seconds = (performance.now() - this.wall) / 1000;
    const each = this.serverPids.map((pid, i) => processCpuSeconds(pid) - (this.server[i] ?? 0));
    const server = each.reduce((sum, s) => sum + s, 0);
    const generator = generatorCpuSeconds() - this.generator;
    const machine = machineBusySeconds() - this.machine;
    const pct = (s: number) => (seconds > 0 ? (100 * s) / seconds : Number.NaN);
    return {
      serverPct: pct(server),
      processPct: each.map(pct),
      generatorPct: pct(generator),
      threadPct: this.generatorThreads.map((tid, i) =>
        pct(threadCpuSeconds(tid) - (this.threads[i] ?? 0)),
      ),
      otherPct: Math.max(0, pct(machine - server - generator)),
      seconds,
    };
  }
}

function generatorCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
