import { describe, expect, it } from '@jest/globals';
import { offsets, splitEvenly } from '../../../bench/split.js';

describe('splitEvenly', () => {
  it('adds up to the total with buckets differing by at most one', () => {
    expect(splitEvenly(5_000, 2)).toEqual([2_500, 2_500]);
    expect(splitEvenly(999, 2)).toEqual([500, 499]);
    expect(splitEvenly(1, 2)).toEqual([1, 0]);
    expect(splitEvenly(0, 3)).toEqual([0, 0, 0]);
  });

  it('rejects nonsense', () => {
    expect(() => splitEvenly(-1, 2)).toThrow(RangeError);
    expect(() => splitEvenly(3, 0)).toThrow(RangeError);
    expect(() => splitEvenly(1.5, 2)).toThrow(RangeError);
  });
});

describe('offsets', () => {
  it('gives each bucket the index of its first item', () => {
    expect(offsets([3, 2, 4])).toEqual([0, 3, 5]);
    expect(offsets([])).toEqual([]);
  });
});
