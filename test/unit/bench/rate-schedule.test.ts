import { describe, expect, it } from '@jest/globals';
import { RateSchedule } from '../../../bench/rate-schedule.js';

describe('RateSchedule', () => {
  it('makes message 0 due at start and one more every 1/rate seconds', () => {
    const schedule = new RateSchedule(100, 1_000);
    expect(schedule.dueBy(999)).toBe(0);
    expect(schedule.dueBy(1_000)).toBe(1);
    expect(schedule.dueBy(1_009.9)).toBe(1);
    expect(schedule.dueBy(1_010)).toBe(2);
    expect(schedule.dueBy(2_000)).toBe(101);
    expect(schedule.dueAt(3)).toBe(1_030);
  });

  it('sends exactly rate × time messages however the ticks fall', () => {
    const schedule = new RateSchedule(1_000, 0);
    let sent = 0;
    // Irregular ticks, including a long stall, over one second.
    for (const now of [0, 1, 2.5, 3, 40, 41, 41.2, 500, 999.999]) sent += schedule.take(now, 10_000);
    expect(sent).toBe(1_000);
    expect(schedule.sentCount).toBe(1_000);
  });

  it('catches up after a stall instead of dropping the missed messages', () => {
    const schedule = new RateSchedule(100, 0);
    expect(schedule.take(0, 1_000)).toBe(1);
    expect(schedule.take(500, 1_000)).toBe(50);
    expect(schedule.maxLag).toBeCloseTo(490);
  });

  it('caps one tick at maxBurst and keeps the rest due', () => {
    const schedule = new RateSchedule(1_000, 0);
    expect(schedule.take(99, 30)).toBe(30);
    expect(schedule.backlog(99)).toBe(70);
    expect(schedule.take(99, 30)).toBe(30);
    expect(schedule.take(99, 1_000)).toBe(40);
    expect(schedule.take(99, 1_000)).toBe(0);
  });

  it('resets the lag observation for a new window', () => {
    const schedule = new RateSchedule(10, 0);
    schedule.take(1_000, 100);
    expect(schedule.maxLag).toBeGreaterThan(0);
    schedule.resetMaxLag();
    expect(schedule.maxLag).toBe(0);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new RateSchedule(0, 0)).toThrow(RangeError);
    expect(() => new RateSchedule(Number.NaN, 0)).toThrow(RangeError);
  });
});
