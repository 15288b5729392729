import type { DrainMetrics, ScenarioMetrics } from '../../../bench/metrics.js';
import type { BenchRun, ScenarioResult } from '../../../bench/results-types.js';

/** A plausible fan-out measurement; tests override only what they look at. */
export function sampleMetrics(overrides: Partial<ScenarioMetrics> = {}): ScenarioMetrics {
  return {
    windowS: 20,
    connectedSubscribers: 100,
    connectedPublishers: 2,
    sentPerSec: 100,
    deliveredPerSec: 10_000,
    expectedDeliveredPerSec: 10_000,
    deliveryRatio: 1,
    lostMessages: 0,
    reorderedMessages: 0,
    latencyMs: { count: 200_000, p50: 1.2, p90: 2, p99: 4, p999: 6, max: 9.5, mean: 1.4 },
    receiptsPerSec: null,
    receiptRatio: null,
    receiptLatencyMs: null,
    publisherMaxLagMs: 3,
    cpuUsPerDelivery: 15,
    serverCpuPercent: 15,
    clientCpuPercentMax: 20,
    otherCpuPercent: 1,
    redisCpuPercent: null,
    redisCpuUsPerDelivery: null,
    redisShards: null,
    redisCpuUsPerMessage: null,
    redisBusiestShardCpuUsPerMessage: null,
    rssKiBPerIdleConnection: null,
    rssKiBPerIdleConnectionAfterSettle: null,
    serverRssBeforeMiB: 80,
    serverRssAfterMiB: 90,
    serverRssPeakMiB: 95,
    errors: { connectFailures: 0, unconfirmedSubscriptions: 0, errorFrames: 0, unexpectedCloses: 0, samples: [] },
    ...overrides,
  };
}

export function sampleResult(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: 'fanout-100x100',
    description: 'test',
    kind: 'fanout',
    shape: { subscribers: 100, publishers: 2, ratePerSec: 100, warmupS: 5, durationS: 20 },
    bodyBytes: 128,
    servers: 1,
    backplane: 'local',
    receipts: false,
    status: 'ok',
    metrics: sampleMetrics(),
    targets: [{ metric: 'cpuUsPerDelivery', limit: '≤ 20', value: 15, pass: true, source: 'issue' }],
    baselines: [{ system: 'nest', metric: 'cpuUsPerDelivery', value: 28, ours: 15, ratio: 15 / 28 }],
    notes: [],
    ...overrides,
  };
}

export function sampleRun(scenarios: ScenarioResult[]): BenchRun {
  return {
    date: '2025-01-02T03:04:05.000Z',
    git: { commit: 'abc1234', dirty: false },
    machine: {
      cpuModel: 'Test CPU',
      cpuCount: 2,
      totalMemoryMiB: 4096,
      node: 'v20.0.0',
      kernel: '6.1.0',
      platform: 'linux',
    },
    config: {
      quick: false,
      workers: 2,
      cpuProfile: false,
      retries: 1,
      scenarios: scenarios.map((s) => s.name),
      serverEnv: {},
      clockTicksPerSecond: 100,
    },
    scenarios,
    pass: true,
  };
}

/** A plausible drain measurement (50,000 messages in 2.5 s). */
export function sampleDrain(overrides: Partial<DrainMetrics> = {}): DrainMetrics {
  return {
    queue: 'redis',
    messages: 50_000,
    rooms: 20,
    bodyBytes: 200,
    batchSize: 500,
    fillS: 1.5,
    drainS: 2.5,
    messagesPerSec: 20_000,
    written: 50_000,
    rejected: 0,
    storedRows: 50_000,
    distinctIds: 50_000,
    verified: true,
    verifyProblem: null,
    persisterCpuUsPerMessage: 30,
    persisterCpuPercent: 60,
    mariadbCpuPercent: 45,
    redisCpuPercent: 10,
    otherCpuPercent: 2,
    ...overrides,
  };
}
