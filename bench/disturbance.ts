import type { ScenarioResult } from './results-types.js';

/**
 * Share of one core that processes other than ours may use during a window before the
 * scenario is considered disturbed (the box is shared with builds and test runs).
 */
export const DISTURBED_OTHER_CPU_PERCENT = 25;

export function isDisturbed(result: ScenarioResult, thresholdPercent = DISTURBED_OTHER_CPU_PERCENT): boolean {
  return result.status === 'ok' && otherCpu(result) > thresholdPercent;
}

/** Other processes' CPU during the measurement, % of a core (fan-out, idle and drain scenarios). */
export function otherCpu(result: ScenarioResult): number {
  return result.metrics?.otherCpuPercent ?? result.drain?.otherCpuPercent ?? 0;
}

/**
 * Of two attempts: one that ran over one that failed, then one without client errors (an
 * attempt that was throttled or kicked measured something else), then the less disturbed.
 */
export function lessDisturbed(a: ScenarioResult, b: ScenarioResult): ScenarioResult {
  if (a.status !== 'ok') return b.status === 'ok' ? b : a;
  if (b.status !== 'ok') return a;
  const errorsA = clientErrors(a);
  const errorsB = clientErrors(b);
  if (errorsA !== errorsB) return errorsB < errorsA ? b : a;
  return otherCpu(b) < otherCpu(a) ? b : a;
}

function clientErrors(result: ScenarioResult): number {
  const errors = result.metrics?.errors;
  return errors ? errors.connectFailures + errors.errorFrames + errors.unexpectedCloses : 0;
}
