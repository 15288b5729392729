import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { FixedTimeout } from '../../../app/src/errors/fixed-timeout.js';

const timedOut = () => new Error('timed out');

/** A promise settled from outside, like a query that answers whenever it answers. */
function pendingWork<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('FixedTimeout', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('passes on what settles in time, value or error, and forgets it', async () => {
    const bounds = new FixedTimeout(1_000);
    const first = pendingWork<string>();
    const second = pendingWork<string>();
    const a = bounds.bound(first.promise, timedOut);
    const b = bounds.bound(second.promise, timedOut);
    expect(bounds.waiting).toBe(2);
    first.resolve('done');
    second.reject(new Error('refused'));
    await expect(a).resolves.toBe('done');
    await expect(b).rejects.toThrow('refused');
    expect(bounds.waiting).toBe(0);
    jest.advanceTimersByTime(5_000);
  });

  it('rejects each late one at its own deadline, also behind an earlier one that settled', async () => {
    const bounds = new FixedTimeout(1_000);
    const early = pendingWork<string>();
    const boundEarly = bounds.bound(early.promise, timedOut);
    jest.advanceTimersByTime(400);
    const late = pendingWork<string>();
    const boundLate = bounds.bound(late.promise, () => new Error('late timed out'));
    const outcome = boundLate.catch((error: Error) => error.message);
    early.resolve('early');
    await expect(boundEarly).resolves.toBe('early');
    // The timer was armed for the first deadline (t=1000); the second one's is t=1400.
    jest.advanceTimersByTime(700);
    expect(bounds.waiting).toBe(1);
    jest.advanceTimersByTime(300);
    await expect(outcome).resolves.toBe('late timed out');
    expect(bounds.waiting).toBe(0);
    // Settling after the timeout changes nothing.
    late.resolve('too late');
    await expect(boundLate).rejects.toThrow('late timed out');
  });

  it('times out several at once when they are all overdue, in order', async () => {
    const bounds = new FixedTimeout(100);
    const order: number[] = [];
    const outcomes = [0, 1, 2].map((i) =>
      bounds.bound(new Promise<never>(() => {}), timedOut).catch(() => {
        order.push(i);
      }),
    );
    jest.advanceTimersByTime(100);
    await Promise.all(outcomes);
    expect(order).toEqual([0, 1, 2]);
    expect(bounds.waiting).toBe(0);
  });
});
