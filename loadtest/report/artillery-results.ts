/**
 * Reads Artillery's `--output` JSON (an aggregate and one entry per reporting period) into
 * the series the report draws. Only the fields used here are typed.
 */
import { METRIC } from '../processor/metrics.js';

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface Period {
  readonly counters: Record<string, number>;
  readonly summaries: Record<string, Summary>;
  /** Start of the period, epoch ms (Artillery writes it as a string). */
  readonly period?: string | number;
  readonly firstMetricAt?: number;
  readonly lastMetricAt?: number;
}

export interface ArtilleryResults {
  readonly aggregate: Period;
  readonly intermediate: readonly Period[];
}

export function parseResults(json: string): ArtilleryResults {
  const parsed = JSON.parse(json) as Partial<ArtilleryResults>;
  if (!parsed.aggregate || !Array.isArray(parsed.intermediate)) {
    throw new Error('not an Artillery results file (expected "aggregate" and "intermediate")');
  }
  return { aggregate: parsed.aggregate, intermediate: parsed.intermediate };
}

/** One point of a time series: seconds since the test started. */
export interface Point {
  readonly second: number;
  readonly series: string;
  readonly value: number;
}

function periodStart(period: Period): number {
  return Number(period.period ?? period.firstMetricAt ?? 0);
}

/** Periods in time order, each with its offset from the first, seconds. */
function timeline(results: ArtilleryResults): { second: number; period: Period }[] {
  const sorted = [...results.intermediate].sort((a, b) => periodStart(a) - periodStart(b));
  const origin = sorted.length > 0 ? periodStart(sorted[0]!) : 0;
  return sorted.map((period) => ({ second: (periodStart(period) - origin) / 1_000, period }));
}

/** Length of one reporting period, seconds (Artillery's default is 10). */
export function periodSeconds(results: ArtilleryResults): number {
  const line = timeline(results);
  if (line.length < 2) return 10;
  return Math.max(1, line[1]!.second - line[0]!.second);
}

export function percentileSeries(results: ArtilleryResults, metric: string): Point[] {
  return timeline(results).flatMap(({ second, period }) => {
    const summary = period.summaries[metric];
    if (!summary) return [];
    return (['p50', 'p95', 'p99'] as const).map((p) => ({ second, series: p, value: summary[p] }));
  });
}

/** Sessions open at the end of each period: opened minus closed, accumulated. */
export function sessionSeries(results: ArtilleryResults): Point[] {
  let open = 0;
  return timeline(results).map(({ second, period }) => {
    open += (period.counters[METRIC.sessionsOpened] ?? 0) - (period.counters[METRIC.sessionsClosed] ?? 0);
    return { second, series: 'open sessions', value: open };
  });
}

/** Deliveries (one latency sample each) and accepted sends per second. */
export function throughputSeries(results: ArtilleryResults): Point[] {
  const seconds = periodSeconds(results);
  return timeline(results).flatMap(({ second, period }) => [
    { second, series: 'delivered/s', value: (period.summaries[METRIC.deliveryLatency]?.count ?? 0) / seconds },
    { second, series: 'receipts/s', value: (period.counters[METRIC.receipts] ?? 0) / seconds },
  ]);
}

/** Errors per period by code (STOMP codes, REST codes, client-side codes). */
export function errorSeries(results: ArtilleryResults): Point[] {
  return timeline(results).flatMap(({ second, period }) =>
    Object.entries(period.counters)
      .filter(([name]) => name.startsWith(METRIC.errorPrefix))
      .map(([name, value]) => ({ second, series: name.slice(METRIC.errorPrefix.length), value })),
  );
}

/** Totals by error code over the whole run. */
export function errorTotals(results: ArtilleryResults): [string, number][] {
  return Object.entries(results.aggregate.counters)
    .filter(([name]) => name.startsWith(METRIC.errorPrefix))
    .map(([name, value]): [string, number] => [name.slice(METRIC.errorPrefix.length), value])
    .sort((a, b) => b[1] - a[1]);
}
