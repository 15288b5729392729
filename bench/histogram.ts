import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './metrics.js';

/**
 * Latencies are recorded in whole microseconds with 3 significant digits, i.e. ±0.1 % —
 * far finer than the millisecond targets — up to a minute before the histogram auto-resizes.
 */
export function createLatencyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
}

/** Compact form for IPC: workers ship their histograms, the orchestrator adds them up. */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

export function mergeEncodedHistograms(encoded: readonly string[]): Histogram {
  const merged = createLatencyHistogram();
  for (const item of encoded) merged.add(decodeFromCompressedBase64(item));
  return merged;
}

/** Percentiles in milliseconds from a histogram recorded in microseconds; null when empty. */
export function summarizeMicros(histogram: Histogram): LatencySummary | null {
  if (histogram.totalCount === 0) return null;
  const ms = (us: number): number => us / 1000;
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}
