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
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
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

export interface SystemCpuTicks {
  /** Ticks all CPUs spent doing anything but idling or waiting for I/O. */
  readonly busy: number;
  /**
   * Part of `busy` spent in interrupt context (irq + softirq). Loopback TCP is processed there
   * and is not charged to any process, so it belongs to the benchmark's own traffic.
   */
  readonly interrupt: number;
  readonly total: number;
}

/**
 * Parses the aggregate `cpu` line of /proc/stat. Used to notice CPU use by processes that
 * are neither the server nor the load workers (other jobs on the box skew every number).
 */
export function parseSystemStat(text: string): SystemCpuTicks {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('unrecognised /proc/stat: no aggregate cpu line');
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  if (values.length < 4 || values.some((value) => !Number.isFinite(value))) {
    throw new Error('unrecognised /proc/stat: bad cpu line');
  }
  // user nice system idle iowait irq softirq steal [guest guest_nice — already inside user/nice]
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, interrupt: irq + softirq, total: busy + idle + iowait };
}

/** How many CPUs' worth of work the machine did between two /proc/stat samples. */
export function busyCores(before: SystemCpuTicks, after: SystemCpuTicks, cpuCount: number): number {
  const total = after.total - before.total;
  return total <= 0 ? 0 : ((after.busy - before.busy) / total) * cpuCount;
}
