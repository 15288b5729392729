import type { ComparisonResult } from './comparisons.js';
import type { HotFunction } from './cpu-profile.js';
import type { BaselineComparison, DrainMetrics, ScenarioMetrics, StartupMetrics, TargetResult } from './metrics.js';
import type { ScenarioDef, ScenarioShape } from './scenario-types.js';
import type { RepeatSpread } from './repeats.js';

export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  readonly kind: ScenarioDef['kind'];
  /** The system measured (this service, the floor, a peer), as labelled in reports. */
  readonly system?: string;
  /** The shared load label of scenarios compared side by side (ScenarioDef.load). */
  readonly load?: string;
  readonly shape: ScenarioShape;
  readonly bodyBytes: number;
  readonly servers: number;
  readonly backplane: 'local' | 'redis' | 'rabbitmq';
  readonly receipts: boolean;
  readonly status: 'ok' | 'failed' | 'skipped';
  /** Why it was skipped or how it failed. */
  readonly reason?: string;
  readonly metrics?: ScenarioMetrics;
  /** Drain scenarios' figures (they have no `metrics`). */
  readonly drain?: DrainMetrics;
  /** Start-up scenarios' figures (they have no `metrics`). */
  readonly startup?: StartupMetrics;
  /** With --repeat: each headline figure over all rounds (this result is the median round's). */
  readonly repeats?: RepeatSpread;
  readonly targets: readonly TargetResult[];
  /** Figures next to other scenarios of the same run (limited ones are also in `targets`). */
  readonly comparisons?: readonly ComparisonResult[];
  readonly baselines: readonly BaselineComparison[];
  /** Things worth knowing that did not fail the run (e.g. SUBSCRIBE receipts unsupported). */
  readonly notes: readonly string[];
  /** Top server functions by self time, when run with --cpu-prof (the first server's measurement window). */
  readonly hotFunctions?: readonly HotFunction[];
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryMiB: number;
  readonly node: string;
  readonly kernel: string;
  readonly platform: string;
}

export interface RunConfig {
  readonly quick: boolean;
  readonly workers: number;
  readonly cpuProfile: boolean;
  /** Extra node flags the service's processes ran with (absent in older results). */
  readonly serverNodeFlags?: readonly string[];
  /** Extra attempts allowed for a scenario disturbed by other processes. */
  readonly retries: number;
  /** Interleaved rounds over the scenarios (--repeat); absent in runs before it existed. */
  readonly repeat?: number;
  readonly scenarios: readonly string[];
  /** The variables the benchmark sets on the server (port and temp dir vary per run). */
  readonly serverEnv: Readonly<Record<string, string>>;
  readonly clockTicksPerSecond: number;
  /** The services the Redis and MariaDB scenarios used (URLs without passwords), or why not. */
  readonly services?: ServicesInfo;
}

export interface ServiceInfo {
  readonly url: string;
  readonly available: boolean;
  /** Why it was not used, when unavailable. */
  readonly reason?: string;
}

export interface ServicesInfo {
  /** With the run's key prefix (each scenario attempt used `<prefix><n>:`, deleted afterwards). */
  readonly redis?: ServiceInfo & { readonly keyPrefix: string };
  /** Each drain attempt used its own `bench_<random>` database, dropped afterwards. */
  readonly mariadb?: ServiceInfo;
  /** The RabbitMQ Web-STOMP listener the `webstomp-*` scenarios used. */
  readonly webStomp?: ServiceInfo;
}

export interface BenchRun {
  readonly date: string;
  readonly git: { readonly commit: string; readonly dirty: boolean };
  readonly machine: MachineInfo;
  readonly config: RunConfig;
  readonly scenarios: readonly ScenarioResult[];
  /** True when every run scenario finished and met all its targets. */
  readonly pass: boolean;
}
