import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  parseProcStat,
  parseProcStatus,
  parseSystemStat,
  type CpuTicks,
  type MemoryKiB,
  type SystemCpuTicks,
} from './proc-stat.js';

export function readCpuTicks(pid: number): CpuTicks {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export function readMemory(pid: number): MemoryKiB {
  return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** Sums CPU ticks over several server processes (multi-instance scenarios). */
export function readCpuTicksOf(pids: readonly number[]): CpuTicks {
  let utime = 0;
  let stime = 0;
  for (const pid of pids) {
    const ticks = readCpuTicks(pid);
    utime += ticks.utime;
    stime += ticks.stime;
  }
  return { utime, stime };
}

export function readSystemCpu(): SystemCpuTicks {
  return parseSystemStat(readFileSync('/proc/stat', 'utf8'));
}

let cachedClockTicks: number | undefined;

/** USER_HZ; 100 on practically every Linux build, but asked rather than assumed. */
export function clockTicksPerSecond(): number {
  if (cachedClockTicks === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim());
      cachedClockTicks = Number.isInteger(value) && value > 0 ? value : 100;
    } catch {
      cachedClockTicks = 100;
    }
  }
  return cachedClockTicks;
}
