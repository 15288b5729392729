import type { Baseline, MetricName, Target } from './scenario-types.js';
import type { ModuleCost } from './module-costs.js';

/**
 * When the idle sample is taken, counted from listening. V8 keeps the young generation at the
 * size start-up grew it to (32 MiB) until its memory reducer runs: 16–24 s after start on an
 * Intel Xeon, 32.5 s on an AMD EPYC (--trace-gc), where a sample at 30 s just missed it. An
 * instance waiting for its first connection gets there either way. The idle-connections scenario
 * takes its sample as long after connecting, for the same reason: the connection burst grows the
 * young generation again (36 s until the reducer gave it back: bench/results/2026-12-07-stop30-idle.md).
 */
export const IDLE_SAMPLE_S = 60;

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Client-observed failures; all should be zero in a healthy run. */
export interface ClientErrors {
  readonly connectFailures: number;
  /** SUBSCRIBEs whose RECEIPT did not arrive in time (the subscription may still be live). */
  readonly unconfirmedSubscriptions: number;
  readonly errorFrames: number;
  readonly unexpectedCloses: number;
  /** First few error texts, for diagnosis. */
  readonly samples: readonly string[];
}

export interface ScenarioMetrics {
  /** Actual measured window (wall clock between window start and end), seconds. */
  readonly windowS: number;
  readonly connectedSubscribers: number;
  readonly connectedPublishers: number;
  readonly sentPerSec: number | null;
  readonly deliveredPerSec: number | null;
  /** connected subscribers × sent/s: what the server should have delivered. */
  readonly expectedDeliveredPerSec: number | null;
  /** delivered ÷ (delivered + lost), with losses counted from sequence gaps. */
  readonly deliveryRatio: number | null;
  readonly lostMessages: number | null;
  readonly reorderedMessages: number | null;
  /** End-to-end SEND → MESSAGE, milliseconds. */
  readonly latencyMs: LatencySummary | null;
  readonly receiptsPerSec: number | null;
  /** RECEIPTs received ÷ SENDs that asked for one, within the window. */
  readonly receiptRatio: number | null;
  /** SEND → RECEIPT, milliseconds. */
  readonly receiptLatencyMs: LatencySummary | null;
  /** Largest delay of the load generator against its own schedule, ms (large = client overloaded). */
  readonly publisherMaxLagMs: number | null;
  /** Server CPU (user+system, all instances) over the window divided by deliveries. */
  readonly cpuUsPerDelivery: number | null;
  /** Server CPU as a percentage of one core over the window. */
  readonly serverCpuPercent: number;
  /** The busiest load worker's CPU, % of one core; near 100 means latency is client-bound. */
  readonly clientCpuPercentMax: number;
  /**
   * CPU used on the machine by anything other than the server(s) and load workers, % of one
   * core. More than a few percent means other jobs disturbed the measurement.
   */
  readonly otherCpuPercent: number;
  /** Redis' CPU (all its threads) over the window, % of one core; null when Redis is not used. */
  readonly redisCpuPercent: number | null;
  /** Redis' CPU over the window ÷ deliveries: the part of a delivery's cost the backplane pays outside the server. */
  readonly redisCpuUsPerDelivery: number | null;
  /**
   * Own-cluster scenarios (ScenarioDef.redisCluster): each primary's CPU over the window, from
   * /proc/<pid>/stat, in slot order; null otherwise.
   */
  readonly redisShards: readonly RedisShardCpu[] | null;
  /** Own-cluster scenarios: all primaries' CPU over the window ÷ SENDs in the window. */
  readonly redisCpuUsPerMessage: number | null;
  /** Own-cluster scenarios: the busiest primary's CPU over the window ÷ SENDs: what limits a shard. */
  readonly redisBusiestShardCpuUsPerMessage: number | null;
  /** Server RSS growth per idle subscribed connection, at the end of the idle window. */
  readonly rssKiBPerIdleConnection: number | null;
  /** The same, sampled earlier: right after the settle period. */
  readonly rssKiBPerIdleConnectionAfterSettle: number | null;
  readonly serverRssBeforeMiB: number;
  readonly serverRssAfterMiB: number;
  /** Peak RSS (VmHWM) of the largest server instance over the scenario. */
  readonly serverRssPeakMiB: number;
  readonly errors: ClientErrors;
}

/** One Redis Cluster primary's share of a window. */
export interface RedisShardCpu {
  readonly port: number;
  /** % of one core over the window. */
  readonly cpuPercent: number;
  readonly cpuUsPerMessage: number | null;
}

/**
 * What a `drain` scenario measured: the write-behind persister moving a pre-filled persist queue
 * into a scratch MariaDB database.
 */
export interface DrainMetrics {
  readonly queue: 'local' | 'redis';
  /** Room messages queued before the persister started. */
  readonly messages: number;
  readonly rooms: number;
  readonly bodyBytes: number;
  /** PERSISTER_BATCH_SIZE the persister ran with. */
  readonly batchSize: number;
  /** Publishing the messages (through the backplane, so they enter the queue as in production). */
  readonly fillS: number;
  /** From the persister's start until the queue's backlog was 0. */
  readonly drainS: number;
  readonly messagesPerSec: number;
  /** Messages the persister reported stored, and refused as already taken (should be N and 0). */
  readonly written: number;
  readonly rejected: number;
  /** Rows in `messages` afterwards, and distinct message ids among them. */
  readonly storedRows: number;
  readonly distinctIds: number;
  /** Every published id stored, once, with gap-free room sequences. */
  readonly verified: boolean;
  /** Why verification failed, when it did. */
  readonly verifyProblem: string | null;
  /** The persister process' CPU (user+system) during the drain ÷ messages. */
  readonly persisterCpuUsPerMessage: number;
  /** % of one core during the drain. */
  readonly persisterCpuPercent: number;
  /** MariaDB's CPU during the drain, % of one core (null when its process is not visible here). */
  readonly mariadbCpuPercent: number | null;
  readonly redisCpuPercent: number | null;
  /** Machine CPU used by anything else during the drain, % of one core. */
  readonly otherCpuPercent: number;
}

export interface StartupMetrics {
  /** From spawning `node` until /healthz answered 200 (polled every 100 ms). */
  readonly readyMs: number;
  /** RSS 2 s after listening, before any client connected. */
  readonly rssMiB: number;
  /**
   * RSS of the same process, still without a connection, IDLE_SAMPLE_S after listening: by then
   * V8's memory reducer has given back the young generation that start-up grew (docs/benchmarks.md).
   */
  readonly idleRssMiB: number;
  /** Only for scenarios that probe modules: each package's import cost in a fresh process. */
  readonly modules?: readonly ModuleCost[];
}

export function startupMetricValue(startup: StartupMetrics, name: MetricName): number | null {
  if (name === 'baselineRssMiB') return startup.rssMiB;
  if (name === 'idleRssMiB') return startup.idleRssMiB;
  if (name === 'startupMs') return startup.readyMs;
  return null;
}

export function drainMetricValue(drain: DrainMetrics, name: MetricName): number | null {
  switch (name) {
    case 'drainMessagesPerSec':
      return drain.messagesPerSec;
    case 'drainVerified':
      return drain.verified ? 1 : 0;
    default:
      return null;
  }
}

export function metricValue(metrics: ScenarioMetrics, name: MetricName): number | null {
  switch (name) {
    case 'cpuUsPerDelivery':
      return metrics.cpuUsPerDelivery;
    case 'rssKiBPerIdleConnection':
      return metrics.rssKiBPerIdleConnection;
    case 'latencyP50Ms':
      return metrics.latencyMs?.p50 ?? null;
    case 'latencyP99Ms':
      return metrics.latencyMs?.p99 ?? null;
    case 'deliveryRatio':
      return metrics.deliveryRatio;
    case 'receiptsPerSec':
      return metrics.receiptsPerSec;
    case 'receiptRatio':
      return metrics.receiptRatio;
    case 'redisCpuUsPerMessage':
      return metrics.redisCpuUsPerMessage;
    case 'redisBusiestShardCpuUsPerMessage':
      return metrics.redisBusiestShardCpuUsPerMessage;
    case 'drainMessagesPerSec':
    case 'drainVerified':
    case 'baselineRssMiB':
    case 'idleRssMiB':
    case 'startupMs':
      return null;
  }
}

export interface TargetResult {
  readonly metric: MetricName;
  readonly limit: string;
  readonly value: number | null;
  /** null when the metric could not be measured (counts as a failure for the run's verdict). */
  readonly pass: boolean | null;
  readonly source: string;
}

export function evaluateTargets(metrics: ScenarioMetrics, targets: readonly Target[]): TargetResult[] {
  return evaluateTargetsWith((name) => metricValue(metrics, name), targets);
}

/** The same, for any source of metric values (e.g. a drain scenario's). */
export function evaluateTargetsWith(
  valueOf: (name: MetricName) => number | null,
  targets: readonly Target[],
): TargetResult[] {
  return targets.map((target) => {
    const value = valueOf(target.metric);
    const limit = [target.max !== undefined ? `≤ ${target.max}` : '', target.min !== undefined ? `≥ ${target.min}` : '']
      .filter((part) => part !== '')
      .join(' and ');
    const pass =
      value === null
        ? null
        : (target.max === undefined || value <= target.max) && (target.min === undefined || value >= target.min);
    return { metric: target.metric, limit, value, pass, source: target.source };
  });
}

export interface BaselineComparison extends Baseline {
  readonly ours: number | null;
  /** ours / theirs; < 1 is better for costs and latencies. */
  readonly ratio: number | null;
}

export function compareBaselines(metrics: ScenarioMetrics, baselines: readonly Baseline[]): BaselineComparison[] {
  return baselines.map((baseline) => {
    const ours = metricValue(metrics, baseline.metric);
    return { ...baseline, ours, ratio: ours === null || baseline.value === 0 ? null : ours / baseline.value };
  });
}
