/**
 * Parsers for the two /proc files the benchmark reads about the server process.
 * Kept pure (text in, numbers out) so they are unit-tested; the file reads live in proc-reader.ts.
 */

export interface CpuTicks {
  /** Time scheduled in user mode, in clock ticks (see CLK_TCK). */
  readonly utime: number;
  /** Time scheduled in kernel mode — socket writes land here, so it must be counted too. */
  readonly stime: number;
}

/**
 * Parses /proc/<pid>/stat. The second field is the command name in parentheses and may itself
 * contain spaces or ')' characters, so fields are counted from the *last* ')'.
 */
export function parseProcStat(text: string): CpuTicks {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('unrecognised /proc/<pid>/stat: no command field');
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error('unrecognised /proc/<pid>/stat: utime/stime missing');
  }
  return { utime, stime };
}

export interface MemoryKiB {
  /** Resident set size now. */
  readonly rss: number;
  /** Peak resident set size since the process started ("high water mark"). */
  readonly peak: number;
}

/** Parses VmRSS and VmHWM (both reported in kB, which the kernel means as KiB) from /proc/<pid>/status. */
export function parseProcStatus(text: string): MemoryKiB {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s*(\\d+)\\s*kB`, 'm').exec(text);
    if (!match) throw new Error(`unrecognised /proc/<pid>/status: ${name} missing`);
    return Number(match[1]);
  };
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** CPU time between two samples in microseconds. */
export function cpuMicrosBetween(before: CpuTicks, after: CpuTicks, clockTicksPerSecond: number): number {
  const ticks = after.utime + after.stime - (before.utime + before.stime);
  return (ticks * 1_000_000) / clockTicksPerSecond;
}
