import { fmt } from './format.js';
import type { TargetResult } from './metrics.js';
import { figureOf } from './repeats.js';
import type { ScenarioResult } from './results-types.js';
import { isLimited } from './scenarios.js';
import type { Comparison, MetricName, ScenarioDef } from './scenario-types.js';

/** One scenario's figure next to the same figure of another scenario of the same run. */
export interface ComparisonResult {
  readonly metric: MetricName;
  readonly reference: string;
  readonly value: number | null;
  readonly referenceValue: number | null;
  /** value − referenceValue. */
  readonly delta: number | null;
  /** delta ÷ referenceValue × 100. */
  readonly deltaPercent: number | null;
  /** The allowed increase ('+1', '+15 %'), or '' for a figure shown as context only. */
  readonly allowed: string;
  /** The largest passing value, from this run's reference (null for context rows or no reference). */
  readonly bound: number | null;
  /** Pass/fail for a limited comparison (null: not measurable); null too for context rows. */
  readonly pass: boolean | null;
  readonly limited: boolean;
  readonly source: string;
}

/** '+15', '−20': an increase limit with its sign (a negative one demands a decrease). */
function signed(value: number): string {
  return value >= 0 ? `+${value}` : `−${-value}`;
}

export function allowedIncrease(comparison: Comparison): string {
  return [
    comparison.maxIncrease !== undefined ? signed(comparison.maxIncrease) : '',
    comparison.maxIncreasePercent !== undefined ? `${signed(comparison.maxIncreasePercent)} %` : '',
  ]
    .filter((part) => part !== '')
    .join(' and ');
}

export function evaluateComparison(
  comparison: Comparison,
  value: number | null,
  referenceValue: number | null,
): ComparisonResult {
  const delta = value === null || referenceValue === null ? null : value - referenceValue;
  const deltaPercent =
    delta === null || referenceValue === null || referenceValue === 0 ? null : (delta / referenceValue) * 100;
  const limited = isLimited(comparison);
  let bound: number | null = null;
  if (limited && referenceValue !== null) {
    const bounds: number[] = [];
    if (comparison.maxIncrease !== undefined) bounds.push(referenceValue + comparison.maxIncrease);
    if (comparison.maxIncreasePercent !== undefined)
      bounds.push(referenceValue * (1 + comparison.maxIncreasePercent / 100));
    bound = Math.min(...bounds);
  }
  const pass = bound === null || value === null ? null : value <= bound;
  return {
    metric: comparison.metric,
    reference: comparison.reference,
    value,
    referenceValue,
    delta,
    deltaPercent,
    allowed: allowedIncrease(comparison),
    bound,
    pass,
    limited,
    source: comparison.source,
  };
}

/** The target row a limited comparison adds to its scenario (so it counts in the run's verdict). */
export function comparisonTarget(result: ComparisonResult): TargetResult {
  const bound = result.bound === null ? '' : ` (= ${fmt(result.bound, 2)})`;
  return {
    metric: result.metric,
    limit: `≤ ${result.reference} ${result.allowed}${bound}`,
    value: result.value,
    pass: result.pass,
    source: result.source,
  };
}

/**
 * Adds each scenario's comparisons with the other scenarios of the same run, and turns the
 * limited ones into targets. Only scenarios that ran get them; a reference that did not run (or
 * failed) leaves its comparisons unmeasurable, which fails a limited one.
 */
export function applyComparisons(results: readonly ScenarioResult[], defs: readonly ScenarioDef[]): ScenarioResult[] {
  const byName = new Map(results.map((result) => [result.name, result]));
  return results.map((result) => {
    const def = defs.find((candidate) => candidate.name === result.name);
    if (!def || def.comparisons.length === 0 || result.status !== 'ok') return result;
    const comparisons = def.comparisons
      .filter((comparison) => isLimited(comparison) || byName.get(comparison.reference)?.status === 'ok')
      .map((comparison) => {
        const reference = byName.get(comparison.reference);
        const referenceValue = reference?.status === 'ok' ? figureOf(reference, comparison.metric) : null;
        return evaluateComparison(comparison, figureOf(result, comparison.metric), referenceValue);
      });
    // Context rows whose reference did not run leave nothing to show.
    if (comparisons.length === 0) return result;
    const notes = comparisons
      .filter((comparison) => comparison.limited && comparison.referenceValue === null)
      .map((comparison) => `no ${comparison.metric} from ${comparison.reference} in this run to compare with`);
    return {
      ...result,
      comparisons,
      targets: [...result.targets, ...comparisons.filter((comparison) => comparison.limited).map(comparisonTarget)],
      notes: [...result.notes, ...notes],
    };
  });
}
