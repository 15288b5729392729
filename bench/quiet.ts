import { cpus } from 'node:os';
import { sleep } from './bounded.js';
import { readSystemCpu } from './proc-reader.js';
import { busyCores } from './proc-stat.js';

/** Other processes may use this much CPU (in cores) before a scenario starts without waiting. */
export const QUIET_MAX_BUSY_CORES = 0.25;

/**
 * Waits until the machine is idle (less than `maxBusyCores` busy over a one-second sample)
 * before a scenario starts, because builds and tests of people sharing the box would land in
 * the measurement. Bounded: after `timeoutMs` it gives up and returns the last busy figure
 * so the report can say the run was disturbed.
 */
export async function waitForQuiet(maxBusyCores: number, timeoutMs: number): Promise<{ quiet: boolean; busy: number }> {
  const deadline = Date.now() + timeoutMs;
  const cpuCount = Math.max(1, cpus().length);
  let busy: number;
  do {
    const before = readSystemCpu();
    await sleep(1_000);
    busy = busyCores(before, readSystemCpu(), cpuCount);
    if (busy < maxBusyCores) return { quiet: true, busy };
  } while (Date.now() < deadline);
  return { quiet: false, busy };
}
