import { describe, expect, it } from '@jest/globals';
import { runBounded, withTimeout } from '../../../bench/bounded.js';

describe('runBounded', () => {
  it('runs every index once, never more than `concurrency` at a time, results in index order', async () => {
    let running = 0;
    let peak = 0;
    const results = await runBounded(10, 3, async (index) => {
      running++;
      peak = Math.max(peak, running);
      await Promise.resolve();
      await Promise.resolve();
      running--;
      if (index === 4) throw new Error('four');
      return index * 2;
    });
    expect(peak).toBe(3);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'x'))).toEqual([
      0,
      2,
      4,
      6,
      'x',
      10,
      12,
      14,
      16,
      18,
    ]);
  });

  it('handles zero items', async () => {
    expect(await runBounded(0, 5, async () => 1)).toEqual([]);
  });
});

describe('withTimeout', () => {
  it('passes through a value that arrives in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, 'late')).resolves.toBe(7);
  });

  it('rejects with the message when the promise never settles', async () => {
    await expect(withTimeout(new Promise<never>(() => undefined), 1, 'late')).rejects.toThrow('late');
  });
});
