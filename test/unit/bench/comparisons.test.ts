import { describe, expect, it } from '@jest/globals';
import { applyComparisons, comparisonTarget, evaluateComparison } from '../../../bench/comparisons.js';
import type { ScenarioDef } from '../../../bench/scenario-types.js';
import { SCENARIOS } from '../../../bench/scenarios.js';
import { sampleMetrics, sampleResult } from './sample-run.js';

describe('evaluateComparison', () => {
  it('passes an absolute increase up to the limit and fails above it', () => {
    const within = evaluateComparison(
      { metric: 'latencyP50Ms', reference: 'ref', maxIncrease: 1, source: 's' },
      2.0,
      1.2,
    );
    expect(within).toMatchObject({
      delta: expect.closeTo(0.8, 6),
      bound: expect.closeTo(2.2, 6),
      pass: true,
      limited: true,
    });
    expect(within.deltaPercent).toBeCloseTo(66.67, 1);
    const over = evaluateComparison(
      { metric: 'latencyP50Ms', reference: 'ref', maxIncrease: 1, source: 's' },
      2.3,
      1.2,
    );
    expect(over.pass).toBe(false);
  });

  it('passes a percentage increase up to the limit and fails above it', () => {
    const limit = { metric: 'cpuUsPerDelivery' as const, reference: 'ref', maxIncreasePercent: 15, source: 's' };
    expect(evaluateComparison(limit, 11.5, 10).pass).toBe(true);
    expect(evaluateComparison(limit, 11.6, 10)).toMatchObject({
      pass: false,
      allowed: '+15 %',
      bound: expect.closeTo(11.5, 6),
    });
    expect(evaluateComparison(limit, 9, 10)).toMatchObject({ pass: true, delta: -1, deltaPercent: -10 });
  });

  it('reads a negative percentage as a required decrease (at least 20 % less than the reference)', () => {
    const limit = { metric: 'cpuUsPerDelivery' as const, reference: 'socketio', maxIncreasePercent: -20, source: 's' };
    expect(evaluateComparison(limit, 8, 10)).toMatchObject({
      pass: true,
      allowed: '−20 %',
      bound: expect.closeTo(8, 6),
    });
    expect(evaluateComparison(limit, 8.1, 10).pass).toBe(false);
  });

  it('cannot judge without both values, and never judges context rows', () => {
    const limit = { metric: 'cpuUsPerDelivery' as const, reference: 'ref', maxIncreasePercent: 15, source: 's' };
    expect(evaluateComparison(limit, 11, null)).toMatchObject({ pass: null, delta: null, bound: null });
    expect(
      evaluateComparison({ metric: 'cpuUsPerDelivery', reference: 'ref', source: 'context' }, 30, 10),
    ).toMatchObject({
      limited: false,
      pass: null,
      allowed: '',
      delta: 20,
      deltaPercent: 200,
    });
  });

  it('turns a limited comparison into a target row naming the reference and the bound', () => {
    const result = evaluateComparison(
      { metric: 'latencyP50Ms', reference: 'fanout-100x100', maxIncrease: 1, source: 'issue' },
      1.5,
      1.1,
    );
    expect(comparisonTarget(result)).toEqual({
      metric: 'latencyP50Ms',
      limit: '≤ fanout-100x100 +1 (= 2.10)',
      value: 1.5,
      pass: true,
      source: 'issue',
    });
  });
});

describe('applyComparisons', () => {
  // The scale-out comparisons among the fanout-100x100 scenarios only (the peers' are tested above).
  const defs: ScenarioDef[] = SCENARIOS.filter((def) => def.name.startsWith('fanout-100x100')).map((def) => ({
    ...def,
    comparisons: def.comparisons.filter((comparison) => comparison.reference.startsWith('fanout-100x100')),
  }));
  const local = sampleResult({
    name: 'fanout-100x100',
    metrics: sampleMetrics({
      cpuUsPerDelivery: 10,
      latencyMs: { count: 1, p50: 1, p90: 2, p99: 3, p999: 4, max: 5, mean: 1 },
    }),
  });
  const redis1 = sampleResult({
    name: 'fanout-100x100-redis1',
    backplane: 'redis',
    targets: [],
    metrics: sampleMetrics({
      cpuUsPerDelivery: 11,
      latencyMs: { count: 1, p50: 1.4, p90: 2, p99: 3, p999: 4, max: 5, mean: 1 },
    }),
  });
  const redis2 = sampleResult({
    name: 'fanout-100x100-redis2',
    servers: 2,
    backplane: 'redis',
    targets: [],
    metrics: sampleMetrics({
      cpuUsPerDelivery: 12,
      latencyMs: { count: 1, p50: 1.6, p90: 2, p99: 3, p999: 4, max: 5, mean: 1 },
    }),
  });

  it('adds the two-instance targets against the same run’s single instance, plus context rows', () => {
    const [, , compared] = applyComparisons([local, redis1, redis2], defs);
    expect(compared?.targets).toEqual([
      expect.objectContaining({ metric: 'latencyP50Ms', pass: true, value: 1.6 }),
      expect.objectContaining({ metric: 'cpuUsPerDelivery', pass: false, value: 12 }),
    ]);
    expect(compared?.comparisons?.map((row) => [row.reference, row.metric, row.limited])).toEqual([
      ['fanout-100x100', 'latencyP50Ms', true],
      ['fanout-100x100', 'cpuUsPerDelivery', true],
      ['fanout-100x100-redis1', 'latencyP50Ms', false],
      ['fanout-100x100-redis1', 'cpuUsPerDelivery', false],
    ]);
  });

  it('leaves the reference itself, and skipped scenarios, untouched', () => {
    const skipped = sampleResult({
      name: 'fanout-100x100-redis2',
      status: 'skipped',
      metrics: undefined,
      targets: [],
      reason: 'no Redis',
    });
    const [first, second] = applyComparisons([local, skipped], defs);
    expect(first).toBe(local);
    expect(second).toBe(skipped);
  });

  it('fails a limited comparison whose reference did not run, and says so; omits context without a reference', () => {
    const [compared] = applyComparisons([redis2], defs);
    expect(compared?.targets.map((target) => target.pass)).toEqual([null, null]);
    expect(compared?.comparisons).toHaveLength(2);
    expect(compared?.notes).toContain('no latencyP50Ms from fanout-100x100 in this run to compare with');
  });
});
