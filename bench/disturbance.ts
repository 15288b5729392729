import type { ScenarioResult } from './results-types.js';

/**
 * Share of one core that processes other than ours may use during a window before the
 * scenario is considered disturbed (the box is shared with builds and test runs).
 */
export const DISTURBED_OTHER_CPU_PERCENT = 25;

export function isDisturbed(result: ScenarioResult, thresholdPercent = DISTURBED_OTHER_CPU_PERCENT): boolean {
  return result.status === 'ok' && (result.metrics?.otherCpuPercent ?? 0) > thresholdPercent;
}

/** Of two attempts, the one that ran and was least disturbed by other processes. */
export function lessDisturbed(a: ScenarioResult, b: ScenarioResult): ScenarioResult {
  if (a.status !== 'ok') return b.status === 'ok' ? b : a;
  if (b.status !== 'ok') return a;
  return (b.metrics?.otherCpuPercent ?? 0) < (a.metrics?.otherCpuPercent ?? 0) ? b : a;
}
