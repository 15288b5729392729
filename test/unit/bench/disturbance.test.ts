import { describe, expect, it } from '@jest/globals';
import { isDisturbed, lessDisturbed } from '../../../bench/disturbance.js';
import { sampleDrain, sampleMetrics, sampleResult } from './sample-run.js';

const withOther = (otherCpuPercent: number) => sampleResult({ metrics: sampleMetrics({ otherCpuPercent }) });
const failed = sampleResult({ status: 'failed', metrics: undefined, reason: 'boom' });

describe('disturbance', () => {
  it('flags runs where other processes used more than the threshold', () => {
    expect(isDisturbed(withOther(40))).toBe(true);
    expect(isDisturbed(withOther(5))).toBe(false);
    expect(isDisturbed(withOther(40), 50)).toBe(false);
    expect(isDisturbed(failed)).toBe(false);
  });

  it('keeps the attempt that ran and was least disturbed', () => {
    const quiet = withOther(3);
    const noisy = withOther(60);
    expect(lessDisturbed(noisy, quiet)).toBe(quiet);
    expect(lessDisturbed(quiet, noisy)).toBe(quiet);
    expect(lessDisturbed(failed, noisy)).toBe(noisy);
    expect(lessDisturbed(noisy, failed)).toBe(noisy);
  });

  it('prefers an attempt without client errors over a quieter one that was throttled', () => {
    const throttled = sampleResult({
      metrics: sampleMetrics({
        otherCpuPercent: 1,
        errors: { connectFailures: 0, unconfirmedSubscriptions: 0, errorFrames: 4, unexpectedCloses: 4, samples: [] },
      }),
    });
    const noisy = withOther(60);
    expect(lessDisturbed(throttled, noisy)).toBe(noisy);
    expect(lessDisturbed(noisy, throttled)).toBe(noisy);
  });
});

describe('disturbance of drain scenarios', () => {
  it('reads other CPU from the drain figures', () => {
    const drain = (otherCpuPercent: number) =>
      sampleResult({ kind: 'drain', metrics: undefined, drain: sampleDrain({ otherCpuPercent }) });
    expect(isDisturbed(drain(40))).toBe(true);
    expect(isDisturbed(drain(3))).toBe(false);
    const quiet = drain(3);
    expect(lessDisturbed(drain(50), quiet)).toBe(quiet);
  });
});
