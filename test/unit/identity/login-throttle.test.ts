import { describe, expect, it } from '@jest/globals';
import { BoundedWork } from '../../../app/src/identity/bounded-work.js';
import { LoginThrottle } from '../../../app/src/identity/login-throttle.js';

describe('LoginThrottle', () => {
  const options = { freeFailures: 2, windowMs: 60_000, baseLockoutMs: 1_000, maxLockoutMs: 8_000 };
  const retryAfter = (throttle: LoginThrottle, key: string) => {
    try {
      throttle.assertAllowed(key);
      return 0;
    } catch (error) {
      expect((error as { code: string }).code).toBe('LIMIT_LOGIN_ATTEMPTS');
      return (error as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
    }
  };

  it('locks a key out after its free failures, doubling up to the cap, and forgets it after a success', () => {
    let now = 0;
    const throttle = new LoginThrottle(options, () => now);
    throttle.recordFailure('k');
    throttle.recordFailure('k');
    expect(retryAfter(throttle, 'k')).toBe(0);
    const lockouts: number[] = [];
    for (let i = 0; i < 5; i++) {
      throttle.recordFailure('k');
      lockouts.push(retryAfter(throttle, 'k'));
    }
    expect(lockouts).toEqual([1, 2, 4, 8, 8]);
    expect(retryAfter(throttle, 'other')).toBe(0);
    now += 8_000;
    expect(retryAfter(throttle, 'k')).toBe(0);
    throttle.clear('k');
    throttle.recordFailure('k');
    expect(retryAfter(throttle, 'k')).toBe(0);
  });
});

describe('BoundedWork', () => {
  it('runs at most maxConcurrent jobs and refuses beyond its queue with LIMIT_BUSY', async () => {
    const work = new BoundedWork(2, 1);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const job = () =>
      work.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      });
    const jobs = [job(), job(), job()];
    await expect(job()).rejects.toMatchObject({ code: 'LIMIT_BUSY' });
    while (releases.length > 0 || running > 0) {
      releases.splice(0).forEach((release) => release());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(jobs);
    expect(peak).toBe(2);
  });
});
