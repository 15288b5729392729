import { describe, expect, it } from '@jest/globals';
import { planDrainBatches, reconnectHintMs } from '../../../app/src/ops/drain-plan.js';

describe('planDrainBatches', () => {
  it.each([
    [0, 30_000],
    [1, 30_000],
    [7, 1_000],
    [200, 3_000],
    [5_000, 60_000],
    [10, 0],
  ])('%i sessions over %i ms: every session once, within the first half of the window', (sessions, windowMs) => {
    const plan = planDrainBatches(sessions, windowMs);
    expect(plan.reduce((sum, batch) => sum + batch.count, 0)).toBe(sessions);
    for (const batch of plan) {
      expect(batch.count).toBeGreaterThan(0);
      expect(batch.atMs).toBeLessThanOrEqual(windowMs / 2);
    }
    const times = plan.map((batch) => batch.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('spreads a large drain over many batches rather than closing everyone at once', () => {
    const plan = planDrainBatches(5_000, 60_000);
    expect(plan.length).toBeGreaterThan(100);
    expect(Math.max(...plan.map((batch) => batch.count))).toBeLessThan(50);
  });
});

describe('reconnectHintMs', () => {
  it('stays within its bounds for any random draw', () => {
    expect(reconnectHintMs(() => 0)).toBe(500);
    expect(reconnectHintMs(() => 0.999999)).toBeLessThanOrEqual(5_000);
    expect(reconnectHintMs(() => 0.5, 1_000, 3_000)).toBe(2_000);
  });
});
