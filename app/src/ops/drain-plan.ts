/** When to close how many sessions while draining. */
export interface DrainBatch {
  readonly atMs: number;
  readonly count: number;
}

const MIN_BATCH_GAP_MS = 100;

/**
 * Spreads closing `sessions` over the first half of the drain window, so the instances that
 * stay up see reconnects arrive gradually; the second half is left for flushing and margin.
 */
export function planDrainBatches(sessions: number, windowMs: number): DrainBatch[] {
  if (sessions <= 0) return [];
  const spreadMs = Math.floor(windowMs / 2);
  const batches = Math.max(1, Math.min(sessions, Math.floor(spreadMs / MIN_BATCH_GAP_MS)));
  const gapMs = batches > 1 ? spreadMs / (batches - 1) : 0;
  const plan: DrainBatch[] = [];
  let assigned = 0;
  for (let index = 0; index < batches; index++) {
    // Even shares, with the remainder going to the earliest batches.
    const count = Math.floor(sessions / batches) + (index < sessions % batches ? 1 : 0);
    plan.push({ atMs: Math.round(index * gapMs), count });
    assigned += count;
  }
  if (assigned !== sessions) throw new Error('drain plan lost sessions'); // cannot happen; guards the arithmetic
  return plan;
}

/** A reconnect hint with jitter, so clients told together do not come back together. */
export function reconnectHintMs(random: () => number = Math.random, minMs = 500, maxMs = 5_000): number {
  return Math.round(minMs + random() * (maxMs - minMs));
}
