/**
 * `--repeat N`: every selected scenario runs N times, the rounds interleaved (all scenarios once,
 * then all again), so slow drifts of the shared machine hit every system alike. A scenario's
 * figures are then the median over its rounds, with the spread (min–max) next to them.
 */
import { drainMetricValue, evaluateTargetsWith, metricValue, startupMetricValue } from './metrics.js';
import type { ScenarioResult } from './results-types.js';
import type { MetricName, ScenarioDef } from './scenario-types.js';

/** The figures kept per round. Names shared with MetricName mean the same thing. */
export type SpreadKey =
  | 'cpuUsPerDelivery'
  | 'latencyP50Ms'
  | 'latencyP90Ms'
  | 'latencyP99Ms'
  | 'deliveredPerSec'
  | 'receiptsPerSec'
  | 'rssKiBPerIdleConnection'
  | 'drainMessagesPerSec'
  | 'baselineRssMiB'
  | 'idleRssMiB'
  | 'startupMs'
  | 'redisCpuUsPerMessage'
  | 'redisBusiestShardCpuUsPerMessage';

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
}

export type RepeatSpread = Partial<Record<SpreadKey, Spread>>;

/** One round's headline figures (absent when the scenario does not measure them). */
export function headline(result: ScenarioResult): Partial<Record<SpreadKey, number>> {
  const figures: Partial<Record<SpreadKey, number | null | undefined>> = {
    cpuUsPerDelivery: result.metrics?.cpuUsPerDelivery,
    latencyP50Ms: result.metrics?.latencyMs?.p50,
    latencyP90Ms: result.metrics?.latencyMs?.p90,
    latencyP99Ms: result.metrics?.latencyMs?.p99,
    deliveredPerSec: result.metrics?.deliveredPerSec,
    receiptsPerSec: result.metrics?.receiptsPerSec,
    rssKiBPerIdleConnection: result.metrics?.rssKiBPerIdleConnection,
    drainMessagesPerSec: result.drain?.messagesPerSec,
    baselineRssMiB: result.startup?.rssMiB,
    idleRssMiB: result.startup?.idleRssMiB,
    startupMs: result.startup?.readyMs,
    redisCpuUsPerMessage: result.metrics?.redisCpuUsPerMessage,
    redisBusiestShardCpuUsPerMessage: result.metrics?.redisBusiestShardCpuUsPerMessage,
  };
  return Object.fromEntries(
    Object.entries(figures).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  ) as Partial<Record<SpreadKey, number>>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

/** A figure for comparisons, targets and reports: the median over rounds when repeated. */
export function figureOf(result: ScenarioResult, key: MetricName | SpreadKey): number | null {
  const repeated = result.repeats?.[key as SpreadKey];
  if (repeated !== undefined) return repeated.median;
  const headlined = headline(result)[key as SpreadKey];
  if (headlined !== undefined) return headlined;
  const metric = key as MetricName;
  if (result.metrics) return metricValue(result.metrics, metric) ?? null;
  if (result.startup) return startupMetricValue(result.startup, metric);
  if (result.drain) return drainMetricValue(result.drain, metric);
  return null;
}

/**
 * Folds one scenario's rounds into one result: the round closest to the median of its first
 * headline figure stands for the details (latency tables, notes), `repeats` holds every
 * headline figure's median and spread, and targets are judged on the medians.
 */
export function combineRounds(def: ScenarioDef, rounds: readonly ScenarioResult[]): ScenarioResult {
  if (rounds.length === 1) return rounds[0]!;
  const ok = rounds.filter((round) => round.status === 'ok');
  if (ok.length === 0) return rounds[rounds.length - 1]!;
  const perRound = ok.map(headline);
  const keys = [...new Set(perRound.flatMap((figures) => Object.keys(figures)))] as SpreadKey[];
  const repeats: RepeatSpread = Object.fromEntries(
    keys.map((key) => [
      key,
      spreadOf(perRound.flatMap((figures) => (figures[key] === undefined ? [] : [figures[key]]))),
    ]),
  );
  const lead = keys[0];
  const representative =
    lead === undefined
      ? ok[0]!
      : ok.reduce((best, round, i) =>
          Math.abs(perRound[i]![lead]! - repeats[lead]!.median) <
          Math.abs(headline(best)[lead]! - repeats[lead]!.median)
            ? round
            : best,
        );
  const notes = [...representative.notes];
  notes.push(
    `${ok.length} of ${rounds.length} rounds measured; headline figures are medians over them, details are from the round nearest the median`,
  );
  const combined: ScenarioResult = { ...representative, repeats, notes };
  // Relative targets (comparisons) are added later, from the medians, by applyComparisons.
  return { ...combined, targets: evaluateTargetsWith((name) => figureOf(combined, name), def.targets) };
}
