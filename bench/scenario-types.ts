import type { SystemKind } from './systems.js';

/** Which metric a target or baseline figure refers to; keys of ScenarioMetrics' flat view. */
export type MetricName =
  | 'cpuUsPerDelivery'
  | 'rssKiBPerIdleConnection'
  | 'latencyP50Ms'
  | 'latencyP99Ms'
  | 'deliveryRatio'
  | 'receiptsPerSec'
  | 'receiptRatio'
  /** Drain scenarios: messages moved from the persist queue into the store per second. */
  | 'drainMessagesPerSec'
  /** Drain scenarios: 1 when every queued message was found stored exactly once, else 0. */
  | 'drainVerified'
  /** Start-up scenarios: RSS before the first connection (2 s after listening), MiB. */
  | 'baselineRssMiB'
  /** Start-up scenarios: RSS of the same process left idle IDLE_SAMPLE_S (metrics.ts) after listening, MiB. */
  | 'idleRssMiB'
  /** Start-up scenarios: from spawn until /healthz answers, ms. */
  | 'startupMs'
  /** Own-cluster scenarios: every redis-server's CPU over the window ÷ SENDs. */
  | 'redisCpuUsPerMessage'
  /** Own-cluster scenarios: the busiest primary's CPU over the window ÷ SENDs. */
  | 'redisBusiestShardCpuUsPerMessage';

export interface Target {
  readonly metric: MetricName;
  /** Pass when the measured value is <= max (or >= min). */
  readonly max?: number;
  readonly min?: number;
  /** Where the number comes from, e.g. the issue. */
  readonly source: string;
}

/**
 * A figure compared with another scenario's result from the same run (e.g. two instances on
 * Redis against one local instance). With a limit it is a pass/fail target; without one it is
 * shown for context only.
 */
export interface Comparison {
  readonly metric: MetricName;
  /** Name of the scenario measured in the same run that this one is compared with. */
  readonly reference: string;
  /** Pass when value − reference ≤ maxIncrease (in the metric's unit). */
  readonly maxIncrease?: number;
  /** Pass when (value − reference) ÷ reference ≤ maxIncreasePercent %. */
  readonly maxIncreasePercent?: number;
  readonly source: string;
}

/** A reference measurement to print next to ours (not a pass/fail criterion). */
export interface Baseline {
  readonly system: string;
  readonly metric: MetricName;
  readonly value: number;
}

/** External services a scenario needs; when one is unreachable the scenario is skipped, not failed. */
export type ServiceName = 'redis' | 'mariadb' | 'webstomp';

export interface ScenarioShape {
  /** Subscribing connections, one SUBSCRIBE each, on the same destination (or spread over `rooms`). */
  readonly subscribers: number;
  /** Publishing connections; 0 for idle scenarios. */
  readonly publishers: number;
  /** Total SEND frames per second over all publishers. */
  readonly ratePerSec: number;
  readonly warmupS: number;
  readonly durationS: number;
}

/** What a `drain` scenario queues and hands to the write-behind persister. */
export interface DrainSpec {
  /** The persist queue: the embedded default's in-process one, or the Redis stream. */
  readonly queue: 'local' | 'redis';
  /** Room messages published (and so queued) before the persister starts. */
  readonly messages: number;
  /** The same, for --quick. */
  readonly quickMessages: number;
  /** Rooms the messages are spread over, round-robin. */
  readonly rooms: number;
  readonly bodyBytes: number;
}

export interface ScenarioDef extends ScenarioShape {
  readonly name: string;
  readonly description: string;
  /**
   * `fanout` measures deliveries; `idle` measures memory per connected, subscribed client;
   * `drain` measures the persister emptying a pre-filled persist queue into MariaDB (no server);
   * `startup` measures time to listening and RSS before the first connection.
   */
  readonly kind: 'fanout' | 'idle' | 'drain' | 'startup';
  readonly bodyBytes: number;
  /**
   * What the server processes run: the service (default), or `floor`, a bare fan-out server
   * (floor-server.ts) that shows what this machine charges for the same load with no service logic.
   */
  readonly server?: SystemKind;
  /**
   * The load this scenario puts on its system, when it is one of several systems measured under
   * the same load (e.g. '100 × 100'): the report puts them side by side with ratios.
   */
  readonly load?: string;
  /** Server processes started with the same env; connections are spread round-robin. */
  readonly servers: number;
  /** BACKPLANE for the servers; multi-instance scenarios need 'redis' or 'rabbitmq' (which uses Redis too). */
  readonly backplane: 'local' | 'redis' | 'rabbitmq';
  /** Publishers add a `receipt` header to every SEND and time the RECEIPTs. */
  readonly receipts: boolean;
  /** Part of a plain `npm run bench`; others run only when named with --scenario. */
  readonly runByDefault: boolean;
  /** Environment variables that must be set for the scenario to make sense. */
  readonly requiresEnv: readonly string[];
  /** Services that must be reachable; otherwise the scenario is reported as skipped. */
  readonly services: readonly ServiceName[];
  /** Smaller, shorter shape for `--quick` smoke runs. */
  readonly quick: Partial<ScenarioShape>;
  readonly targets: readonly Target[];
  /** Targets (or context) relative to other scenarios of the same run. */
  readonly comparisons: readonly Comparison[];
  readonly baselines: readonly Baseline[];
  /** Only for kind 'startup': where users and rooms live (mysql: a scratch MariaDB database). */
  readonly database?: 'sqlite' | 'mysql';
  /** Only for kind 'startup': also measure each dependency's import cost in a fresh process. */
  readonly probeModules?: boolean;
  /** Only for kind 'drain'. */
  readonly drain?: DrainSpec;
  /**
   * Spread subscribers and publishers over this many rooms (rooms.ts: connection i on room
   * i mod rooms), so their keys hash into different cluster partitions. Absent: one destination.
   */
  readonly rooms?: number;
  /**
   * Run the Redis backplane in cluster mode on a Redis Cluster the scenario starts for itself
   * (bench/local-redis-cluster.ts: this many primaries, no replicas) instead of the shared Redis.
   */
  readonly redisCluster?: { readonly primaries: number };
}
