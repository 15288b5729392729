import { describe, expect, it } from '@jest/globals';
import { SequenceTracker } from '../../../bench/sequence-tracker.js';

describe('SequenceTracker', () => {
  it('reports no gap for consecutive messages, starting anywhere', () => {
    const tracker = new SequenceTracker();
    expect([5, 6, 7].map((seq) => tracker.observe(0, seq))).toEqual([0, 0, 0]);
  });

  it('counts the messages skipped before a jump', () => {
    const tracker = new SequenceTracker();
    tracker.observe(0, 0);
    expect(tracker.observe(0, 4)).toBe(3);
    expect(tracker.observe(0, 5)).toBe(0);
  });

  it('flags duplicates and out-of-order arrivals without moving the high-water mark', () => {
    const tracker = new SequenceTracker();
    tracker.observe(0, 10);
    expect(tracker.observe(0, 10)).toBe(-1);
    expect(tracker.observe(0, 9)).toBe(-1);
    expect(tracker.observe(0, 11)).toBe(0);
  });

  it('keeps publishers independent', () => {
    const tracker = new SequenceTracker();
    tracker.observe(0, 100);
    expect(tracker.observe(1, 0)).toBe(0);
    expect(tracker.observe(1, 2)).toBe(1);
    expect(tracker.observe(0, 101)).toBe(0);
  });
});
