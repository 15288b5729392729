import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { LoginThrottleOptions } from '../../app/src/identity/login-throttle.js';
import type { ThrottleCounter } from '../../app/src/identity/throttle-counter.port.js';

export interface ThrottleWorld {
  /** A fresh counter with these options (its own keys: nothing left from another test). */
  counter(options: LoginThrottleOptions): ThrottleCounter;
  close(): Promise<void>;
}

const OPTIONS: LoginThrottleOptions = { freeFailures: 2, windowMs: 400, baseLockoutMs: 200, maxLockoutMs: 800 };

/**
 * What every ThrottleCounter must do, wherever it counts: real time and short windows, because
 * the Redis counter reads Redis's clock.
 */
export function describeThrottleCounterContract(name: string, createWorld: () => Promise<ThrottleWorld>): void {
  describe(`ThrottleCounter contract: ${name}`, () => {
    const worlds: ThrottleWorld[] = [];
    const counter = async (options: Partial<LoginThrottleOptions> = {}) => {
      const world = await createWorld();
      worlds.push(world);
      return world.counter({ ...OPTIONS, ...options });
    };
    const failures = async (throttle: ThrottleCounter, key: string, count: number) => {
      for (let i = 0; i < count; i++) await throttle.recordFailure(key);
    };

    afterEach(async () => {
      await Promise.all(worlds.splice(0).map((world) => world.close()));
    });

    it('lets the free failures through, then locks out with a lockout doubling up to the cap', async () => {
      const throttle = await counter({ windowMs: 60_000, baseLockoutMs: 1_000, maxLockoutMs: 4_000 });
      await failures(throttle, 'k', 2);
      expect(await throttle.lockedForMs('k')).toBe(0);
      const lockouts: number[] = [];
      for (let i = 0; i < 4; i++) {
        await throttle.recordFailure('k');
        lockouts.push(await throttle.lockedForMs('k'));
      }
      const expected = [1_000, 2_000, 4_000, 4_000];
      lockouts.forEach((lockout, i) => {
        expect(lockout).toBeLessThanOrEqual(expected[i]!);
        expect(lockout).toBeGreaterThan(expected[i]! - 250);
      });
    });

    it('keeps keys apart', async () => {
      const throttle = await counter();
      await failures(throttle, 'locked', 3);
      expect(await throttle.lockedForMs('locked')).toBeGreaterThan(0);
      expect(await throttle.lockedForMs('other')).toBe(0);
    });

    it('ends a lockout when it runs out', async () => {
      const throttle = await counter({ windowMs: 60_000 });
      await failures(throttle, 'k', 3);
      expect(await throttle.lockedForMs('k')).toBeGreaterThan(0);
      await sleep(OPTIONS.baseLockoutMs + 50);
      expect(await throttle.lockedForMs('k')).toBe(0);
    });

    it('forgets failures once the window ended with no lockout running', async () => {
      const throttle = await counter();
      await failures(throttle, 'k', 2);
      await sleep(OPTIONS.windowMs + 100);
      await throttle.recordFailure('k');
      expect(await throttle.lockedForMs('k')).toBe(0);
    });

    it('forgets a key that is cleared (a successful login)', async () => {
      const throttle = await counter();
      await failures(throttle, 'k', 3);
      expect(await throttle.lockedForMs('k')).toBeGreaterThan(0);
      await throttle.clear('k');
      expect(await throttle.lockedForMs('k')).toBe(0);
      await throttle.recordFailure('k');
      expect(await throttle.lockedForMs('k')).toBe(0);
    });
  });
}
