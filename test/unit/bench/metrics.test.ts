import { describe, expect, it } from '@jest/globals';
import {
  compareBaselines,
  drainMetricValue,
  evaluateTargets,
  evaluateTargetsWith,
  type ScenarioMetrics,
} from '../../../bench/metrics.js';
import { sampleDrain, sampleMetrics } from './sample-run.js';

describe('evaluateTargets', () => {
  const metrics: ScenarioMetrics = sampleMetrics({ cpuUsPerDelivery: 18.5, deliveryRatio: 0.97 });

  it('passes a max target at or below the limit and fails above it', () => {
    const [under, over] = evaluateTargets(metrics, [
      { metric: 'cpuUsPerDelivery', max: 20, source: 'issue' },
      { metric: 'latencyP99Ms', max: 1, source: 'issue' },
    ]);
    expect(under).toMatchObject({ value: 18.5, pass: true, limit: '≤ 20' });
    expect(over).toMatchObject({ value: 4, pass: false });
  });

  it('handles min targets', () => {
    const [ratio] = evaluateTargets(metrics, [{ metric: 'deliveryRatio', min: 0.99, source: 'sanity' }]);
    expect(ratio).toMatchObject({ pass: false, limit: '≥ 0.99', value: 0.97 });
  });

  it('reports an unmeasurable metric as neither pass nor fail', () => {
    const [rss] = evaluateTargets(metrics, [{ metric: 'rssKiBPerIdleConnection', max: 12, source: 'issue' }]);
    expect(rss).toMatchObject({ value: null, pass: null });
  });
});

describe('compareBaselines', () => {
  it('gives ours / theirs', () => {
    const [row] = compareBaselines(sampleMetrics({ cpuUsPerDelivery: 14 }), [
      { system: 'nest', metric: 'cpuUsPerDelivery', value: 28 },
    ]);
    expect(row).toMatchObject({ ours: 14, ratio: 0.5, system: 'nest' });
  });
});

describe('drain targets', () => {
  it('judges a drain by its rate and its exactly-once check', () => {
    const slow = sampleDrain({ messagesPerSec: 8_000, verified: false });
    const [rate, once, other] = evaluateTargetsWith(
      (name) => drainMetricValue(slow, name),
      [
        { metric: 'drainMessagesPerSec', min: 10_000, source: 'issue' },
        { metric: 'drainVerified', min: 1, source: 'sanity' },
        { metric: 'latencyP50Ms', max: 1, source: 'n/a' },
      ],
    );
    expect(rate).toMatchObject({ value: 8_000, pass: false, limit: '≥ 10000' });
    expect(once).toMatchObject({ value: 0, pass: false });
    expect(other).toMatchObject({ value: null, pass: null });
  });
});
