import { readdirSync, readFileSync } from 'node:fs';

/** Microseconds per clock tick of `/proc/<pid>/stat` (USER_HZ is 100 on Linux). */
const TICK_US = 10_000;

/**
 * CPU time (user plus system) a process has used so far, in microseconds, from
 * `/proc/<pid>/stat` (10 ms resolution); undefined when the process is gone or not readable.
 */
export function processCpuUs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return undefined;
  }
}

/** The pids of the processes on this machine whose command line matches `pattern` (Linux; none elsewhere). */
export function findProcesses(pattern: RegExp): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (pattern.test(command)) pids.push(Number(entry));
    } catch {
      // Gone since the listing.
    }
  }
  return pids;
}

/** CPU time of a set of processes at one moment, by pid. */
export type CpuSnapshot = Map<number, number>;

/** Reads the CPU time of each of `pids` now (those gone are left out). */
export function cpuSnapshot(pids: Iterable<number>): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const pid of pids) {
    const cpu = processCpuUs(pid);
    if (cpu !== undefined) snapshot.set(pid, cpu);
  }
  return snapshot;
}

/**
 * The CPU the processes of `after` used since `before`, in microseconds: a process started in
 * between counts whole; one that ended in between loses what it used after `before`.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}
