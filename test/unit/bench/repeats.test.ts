import { describe, expect, it } from '@jest/globals';
import { combineRounds, figureOf, median, spreadOf } from '../../../bench/repeats.js';
import { SCENARIOS } from '../../../bench/scenarios.js';
import { sampleMetrics, sampleResult } from './sample-run.js';

const fanout = SCENARIOS.find((def) => def.name === 'fanout-100x100')!;
const round = (cpuUsPerDelivery: number, p50: number) =>
  sampleResult({
    name: 'fanout-100x100',
    metrics: sampleMetrics({
      cpuUsPerDelivery,
      latencyMs: { count: 1, p50, p90: p50 * 2, p99: p50 * 3, p999: p50 * 4, max: p50 * 5, mean: p50 },
    }),
  });

describe('median and spread', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spreadOf([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, values: [5, 1, 3] });
  });
});

describe('combineRounds', () => {
  it('reports each headline figure as its median over the rounds, with the spread', () => {
    const combined = combineRounds(fanout, [round(30, 2), round(10, 6), round(20, 4)]);
    expect(combined.repeats?.cpuUsPerDelivery).toMatchObject({ median: 20, min: 10, max: 30 });
    expect(combined.repeats?.latencyP50Ms).toMatchObject({ median: 4, min: 2, max: 6 });
    expect(figureOf(combined, 'cpuUsPerDelivery')).toBe(20);
    // The details come from the round nearest the median of the first figure.
    expect(combined.metrics?.cpuUsPerDelivery).toBe(20);
    expect(combined.notes.at(-1)).toMatch(/3 of 3 rounds/);
  });

  it('judges the targets on the medians, not on one round', () => {
    // fanout-100x100 allows 20 µs/delivery: rounds of 15, 25 and 18 pass on the median (18).
    const combined = combineRounds(fanout, [round(15, 1), round(25, 1), round(18, 1)]);
    expect(combined.targets.find((target) => target.metric === 'cpuUsPerDelivery')).toMatchObject({
      value: 18,
      pass: true,
    });
  });

  it('leaves out failed rounds, and returns a single round unchanged', () => {
    const failed = sampleResult({ name: 'fanout-100x100', status: 'failed', metrics: undefined, reason: 'x' });
    const combined = combineRounds(fanout, [round(10, 1), failed, round(30, 1)]);
    expect(combined.repeats?.cpuUsPerDelivery?.values).toEqual([10, 30]);
    const only = round(12, 1);
    expect(combineRounds(fanout, [only])).toBe(only);
  });
});
