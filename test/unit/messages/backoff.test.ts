import { describe, expect, it } from '@jest/globals';
import { backoffDelay } from '../../../app/src/messages/persister/backoff.js';

describe('backoffDelay', () => {
  it('doubles from the initial wait, with jitter in the upper half of each step', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, 100, 10_000, () => 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, 100, 10_000, () => 1))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however many attempts, and never drops below half of it once there', () => {
    for (const attempt of [7, 8, 20, 1_000, 1e9]) {
      expect(backoffDelay(attempt, 100, 10_000, () => 1)).toBe(10_000);
      expect(backoffDelay(attempt, 100, 10_000, () => 0)).toBe(5_000);
    }
  });

  it('spreads instances that fail together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5, 100, 10_000)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
