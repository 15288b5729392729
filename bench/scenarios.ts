import type { Baseline, ScenarioDef, ScenarioShape, Target } from './scenario-types.js';

const ISSUE = 'issue targets';
const NEST = 'naive Nest STOMP gateway';
const RABBIT = 'RabbitMQ Web-STOMP';
const DESTINATION = '/topic/bench';

export const BENCH_DESTINATION = DESTINATION;

// Baselines were measured earlier on the same machine; they are context, not targets.
const cpuBaselines: Baseline[] = [
  { system: NEST, metric: 'cpuUsPerDelivery', value: 28 },
  { system: RABBIT, metric: 'cpuUsPerDelivery', value: 84 },
];
// Every fan-out run is also expected to deliver (nearly) everything it offered.
const delivers: Target = { metric: 'deliveryRatio', min: 0.99, source: 'sanity: no loss' };

/** The scenario table. New scenarios are one more entry here. */
export const SCENARIOS: readonly ScenarioDef[] = [
  {
    name: 'fanout-100x100',
    description: '100 subscribers on one topic, 100 SEND/s from 2 publishers',
    kind: 'fanout',
    subscribers: 100,
    publishers: 2,
    ratePerSec: 100,
    bodyBytes: 128,
    warmupS: 5,
    durationS: 20,
    servers: 1,
    backplane: 'local',
    receipts: false,
    runByDefault: true,
    requiresEnv: [],
    quick: { subscribers: 50, warmupS: 1, durationS: 3 },
    targets: [{ metric: 'cpuUsPerDelivery', max: 20, source: ISSUE }, delivers],
    baselines: cpuBaselines,
  },
  {
    name: 'fanout-1000x10',
    description: '1,000 subscribers on one topic, 10 SEND/s from 1 publisher',
    kind: 'fanout',
    subscribers: 1000,
    publishers: 1,
    ratePerSec: 10,
    bodyBytes: 128,
    warmupS: 5,
    durationS: 20,
    servers: 1,
    backplane: 'local',
    receipts: false,
    runByDefault: true,
    requiresEnv: [],
    quick: { subscribers: 300, warmupS: 1, durationS: 3 },
    targets: [
      { metric: 'latencyP50Ms', max: 12, source: ISSUE },
      { metric: 'latencyP99Ms', max: 40, source: ISSUE },
      delivers,
    ],
    baselines: [
      { system: NEST, metric: 'latencyP50Ms', value: 18 },
      { system: NEST, metric: 'latencyP99Ms', value: 45 },
    ],
  },
  {
    name: 'fanout-100x1000',
    description: '100 subscribers on one topic, 1,000 SEND/s from 4 publishers (100k deliveries/s offered)',
    kind: 'fanout',
    subscribers: 100,
    publishers: 4,
    ratePerSec: 1000,
    bodyBytes: 128,
    warmupS: 5,
    durationS: 20,
    servers: 1,
    backplane: 'local',
    receipts: false,
    runByDefault: true,
    requiresEnv: [],
    quick: { subscribers: 20, ratePerSec: 500, warmupS: 1, durationS: 3 },
    targets: [delivers],
    baselines: [],
  },
  {
    name: 'idle-5000',
    description: '5,000 idle connections, one SUBSCRIBE each; server RSS per connection',
    kind: 'idle',
    subscribers: 5000,
    publishers: 0,
    ratePerSec: 0,
    bodyBytes: 128,
    // warm-up = settle time after connecting, duration = idle CPU observation window.
    warmupS: 5,
    durationS: 10,
    servers: 1,
    backplane: 'local',
    receipts: false,
    runByDefault: true,
    requiresEnv: [],
    quick: { subscribers: 1000, warmupS: 2, durationS: 2 },
    targets: [{ metric: 'rssKiBPerIdleConnection', max: 12, source: ISSUE }],
    baselines: [
      { system: NEST, metric: 'rssKiBPerIdleConnection', value: 18 },
      { system: RABBIT, metric: 'rssKiBPerIdleConnection', value: 185 },
    ],
  },
  {
    name: 'receipts-4x2000',
    description: 'accepted SEND/s: 4 publishers at 2,000 SEND/s total, each SEND asks for a RECEIPT; 10 subscribers',
    kind: 'fanout',
    subscribers: 10,
    publishers: 4,
    ratePerSec: 2000,
    bodyBytes: 128,
    warmupS: 5,
    durationS: 20,
    servers: 1,
    backplane: 'local',
    receipts: true,
    runByDefault: false,
    requiresEnv: [],
    quick: { ratePerSec: 500, warmupS: 1, durationS: 3 },
    // Every SEND must be accepted at the offered rate: one RECEIPT per SEND within the window.
    targets: [{ metric: 'receiptRatio', min: 0.99, source: 'sanity: every SEND accepted' }, delivers],
    baselines: [],
  },
  {
    name: 'fanout-100x100-redis2',
    description: 'fanout-100x100 over two server instances joined by the Redis backplane',
    kind: 'fanout',
    subscribers: 100,
    publishers: 2,
    ratePerSec: 100,
    bodyBytes: 128,
    warmupS: 5,
    durationS: 20,
    servers: 2,
    backplane: 'redis',
    receipts: false,
    runByDefault: false,
    requiresEnv: ['REDIS_URL'],
    quick: { subscribers: 50, warmupS: 1, durationS: 3 },
    targets: [delivers],
    baselines: [],
  },
];

/** The shape actually run: the full one, or the scenario's quick overrides. */
export function effectiveShape(def: ScenarioDef, quick: boolean): ScenarioShape {
  const full: ScenarioShape = {
    subscribers: def.subscribers,
    publishers: def.publishers,
    ratePerSec: def.ratePerSec,
    warmupS: def.warmupS,
    durationS: def.durationS,
  };
  return quick ? { ...full, ...def.quick } : full;
}

/**
 * Resolves --scenario arguments (names, comma lists, or `all`) against the table; no
 * arguments means the default set. Unknown names are an error rather than silently skipped.
 */
export function selectScenarios(table: readonly ScenarioDef[], requested: readonly string[]): ScenarioDef[] {
  const names = requested.flatMap((arg) => arg.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) return table.filter((def) => def.runByDefault);
  if (names.includes('all')) return [...table];
  const unknown = names.filter((name) => !table.some((def) => def.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${table.map((def) => def.name).join(', ')}`);
  }
  return table.filter((def) => names.includes(def.name));
}
