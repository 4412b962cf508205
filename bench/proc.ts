// Process figures read from /proc (Linux): resident memory and CPU time of a child process.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size of one process, from /proc/<pid>/status (Linux only). */
export interface ProcessMemory {
  /** VmRSS now, MB. */
  rssMb: number;
  /** VmHWM: the highest RSS the process has had, MB. */
  peakRssMb: number;
  /** RSS of the process plus its descendants (tsx's esbuild helper, if any), MB. */
  treeRssMb: number;
}

const KB_PER_MB = 1024;

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / KB_PER_MB : Number.NaN;
}

function readStatus(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Child pids of every process, read once from /proc/<pid>/stat. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

export function readMemory(pid: number | undefined): ProcessMemory | undefined {
  if (pid === undefined) return undefined;
  const status = readStatus(pid);
  if (!status) return undefined;
  const rssMb = statusField(status, 'VmRSS');
  const peakRssMb = statusField(status, 'VmHWM');
  let treeRssMb = rssMb;
  const children = childrenByParent();
  const pending = [...(children.get(pid) ?? [])];
  while (pending.length > 0) {
    const child = pending.pop() as number;
    const childStatus = readStatus(child);
    if (childStatus) treeRssMb += statusField(childStatus, 'VmRSS');
    pending.push(...(children.get(child) ?? []));
  }
  return { rssMb, peakRssMb, treeRssMb };
}

/**
 * Samples a process's memory every `intervalMs`, keeping the highest tree RSS seen and one
 * [seconds since start, RSS MB] point every 5 s, to tell a leak from a working set.
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();
  private lastPointAt = 0;
  maxTreeRssMb = 0;
  readonly points: Array<[number, number]> = [];

  constructor(
    private readonly pid: number | undefined,
    intervalMs = 1000,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): ProcessMemory | undefined {
    const memory = readMemory(this.pid);
    if (memory) {
      this.maxTreeRssMb = Math.max(this.maxTreeRssMb, memory.treeRssMb);
      const now = Date.now();
      if (now - this.lastPointAt >= 5000) {
        this.lastPointAt = now;
        this.points.push([Math.round((now - this.startedAt) / 1000), Math.round(memory.rssMb)]);
      }
    }
    return memory;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

let clockTicksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, ms; from /proc/<pid>/stat. */
export function readCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    return (ticks * 1000) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}
