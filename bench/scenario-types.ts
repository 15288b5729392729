/** Which metric a target or baseline figure refers to; keys of ScenarioMetrics' flat view. */
export type MetricName =
  | 'cpuUsPerDelivery'
  | 'rssKiBPerIdleConnection'
  | 'latencyP50Ms'
  | 'latencyP99Ms'
  | 'deliveryRatio'
  | 'receiptsPerSec'
  | 'receiptRatio';

export interface Target {
  readonly metric: MetricName;
  /** Pass when the measured value is <= max (or >= min). */
  readonly max?: number;
  readonly min?: number;
  /** Where the number comes from, e.g. the issue. */
  readonly source: string;
}

/** A reference measurement to print next to ours (not a pass/fail criterion). */
export interface Baseline {
  readonly system: string;
  readonly metric: MetricName;
  readonly value: number;
}

export interface ScenarioShape {
  /** Subscribing connections, one SUBSCRIBE each, all on the same destination. */
  readonly subscribers: number;
  /** Publishing connections; 0 for idle scenarios. */
  readonly publishers: number;
  /** Total SEND frames per second over all publishers. */
  readonly ratePerSec: number;
  readonly warmupS: number;
  readonly durationS: number;
}

export interface ScenarioDef extends ScenarioShape {
  readonly name: string;
  readonly description: string;
  /** `fanout` measures deliveries; `idle` measures memory per connected, subscribed client. */
  readonly kind: 'fanout' | 'idle';
  readonly bodyBytes: number;
  /** Server processes started with the same env; connections are spread round-robin. */
  readonly servers: number;
  /** BACKPLANE for the servers; multi-instance scenarios need 'redis'. */
  readonly backplane: 'local' | 'redis';
  /** Publishers add a `receipt` header to every SEND and time the RECEIPTs. */
  readonly receipts: boolean;
  /** Part of a plain `npm run bench`; others run only when named with --scenario. */
  readonly runByDefault: boolean;
  /** Environment variables that must be set for the scenario to make sense (e.g. REDIS_URL). */
  readonly requiresEnv: readonly string[];
  /** Smaller, shorter shape for `--quick` smoke runs. */
  readonly quick: Partial<ScenarioShape>;
  readonly targets: readonly Target[];
  readonly baselines: readonly Baseline[];
}
