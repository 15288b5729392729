import { describe, expect, it } from '@jest/globals';
import {
  createLatencyHistogram,
  encodeHistogram,
  mergeEncodedHistograms,
  summarizeMicros,
} from '../../../bench/histogram.js';

describe('latency histograms', () => {
  it('merges encoded worker histograms and reports milliseconds', () => {
    const a = createLatencyHistogram();
    const b = createLatencyHistogram();
    for (let us = 1_000; us <= 50_000; us += 1_000) a.recordValue(us);
    for (let us = 51_000; us <= 100_000; us += 1_000) b.recordValue(us);
    const summary = summarizeMicros(mergeEncodedHistograms([encodeHistogram(a), encodeHistogram(b)]));
    expect(summary?.count).toBe(100);
    expect(summary?.p50).toBeCloseTo(50, 0);
    expect(summary?.p99).toBeCloseTo(99, 0);
    expect(summary?.max).toBeCloseTo(100, 0);
  });

  it('summarises an empty histogram as null', () => {
    expect(summarizeMicros(mergeEncodedHistograms([encodeHistogram(createLatencyHistogram())]))).toBeNull();
  });
});
