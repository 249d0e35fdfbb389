import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';

/** The machine figures came from, so numbers from different machines are never compared blindly. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  memoryGiB: number;
  kernel: string;
}

export function machineInfo(): MachineInfo {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // Not Linux: the model stays unknown.
  }
  return {
    cpus: availableParallelism(),
    cpuModel,
    node: process.version,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
  };
}
