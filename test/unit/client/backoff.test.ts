import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BACKOFF, reconnectDelayMs } from '../../../client/src/backoff.js';

describe('reconnectDelayMs', () => {
  const lowest = () => 0;
  const highest = () => 0.999_999;

  it.each([
    [0, 250, 500],
    [1, 500, 1_000],
    [3, 2_000, 4_000],
    [20, 15_000, 30_000],
  ])('attempt %i waits between %i and %i ms (equal jitter, capped)', (attempt, min, max) => {
    expect(reconnectDelayMs({ attempt }, DEFAULT_BACKOFF, lowest)).toBe(min);
    expect(reconnectDelayMs({ attempt }, DEFAULT_BACKOFF, highest)).toBeLessThanOrEqual(max);
    expect(reconnectDelayMs({ attempt }, DEFAULT_BACKOFF, highest)).toBeGreaterThan(max - 2);
  });

  it('follows the server’s drain hint, adding a little jitter of its own', () => {
    expect(reconnectDelayMs({ attempt: 5, hintMs: 2_000 }, DEFAULT_BACKOFF, lowest)).toBe(2_000);
    const late = reconnectDelayMs({ attempt: 5, hintMs: 2_000 }, DEFAULT_BACKOFF, highest);
    expect(late).toBeGreaterThan(2_000);
    expect(late).toBeLessThanOrEqual(2_250);
  });

  it('waits at least restartMinMs after close 1012/1013 without a hint', () => {
    for (const closeCode of [1012, 1013]) {
      expect(reconnectDelayMs({ attempt: 0, closeCode }, DEFAULT_BACKOFF, lowest)).toBe(500);
      expect(reconnectDelayMs({ attempt: 0, closeCode }, DEFAULT_BACKOFF, highest)).toBeGreaterThan(990);
    }
    expect(reconnectDelayMs({ attempt: 0, closeCode: 1006 }, DEFAULT_BACKOFF, highest)).toBeLessThan(500);
  });

  it('spreads many clients cut off at once over the window', () => {
    const delays = Array.from({ length: 1_000 }, () => reconnectDelayMs({ attempt: 2 }, DEFAULT_BACKOFF, Math.random));
    expect(new Set(delays.map((delay) => Math.floor(delay / 100))).size).toBeGreaterThanOrEqual(8);
  });
});
