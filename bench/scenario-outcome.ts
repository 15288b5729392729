import { log } from './log.js';
import { evaluateTargetsWith } from './metrics.js';
import type { ScenarioResult } from './results-types.js';
import type { MetricName, ScenarioDef } from './scenario-types.js';

/** What every result of the scenario carries, whatever its outcome. */
export type ScenarioBase = Pick<
  ScenarioResult,
  'name' | 'description' | 'kind' | 'shape' | 'bodyBytes' | 'servers' | 'backplane' | 'receipts' | 'system' | 'load'
>;

/** A measured result: the figures (`drain`, `startup`) judged against the scenario's own targets. */
export function measuredResult(
  def: ScenarioDef,
  base: ScenarioBase,
  figures: Pick<ScenarioResult, 'drain' | 'startup'>,
  valueOf: (name: MetricName) => number | null,
  notes: string[],
): ScenarioResult {
  return {
    ...base,
    ...figures,
    status: 'ok',
    targets: evaluateTargetsWith(valueOf, def.targets),
    baselines: [],
    notes,
  };
}

/** A scenario that could not finish: the reason is logged and reported. */
export function failedResult(def: ScenarioDef, base: ScenarioBase, error: unknown, notes: string[]): ScenarioResult {
  const reason = error instanceof Error ? error.message : String(error);
  log(`${def.name} failed: ${reason}`);
  return { ...base, status: 'failed', reason, targets: [], baselines: [], notes };
}
