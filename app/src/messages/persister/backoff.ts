/**
 * The wait before retry number `attempt` (0 for the first retry): exponential from `initialMs`,
 * capped at `maxMs`, with "equal jitter" (a random point in the upper half of the step), so
 * instances that failed together do not retry in lockstep, yet every wait still grows.
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + random() * (step / 2));
}
