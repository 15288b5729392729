import { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import type { ThrottleCounter } from './throttle-counter.port.js';

/** The per-instance counter: a client spread over N instances gets up to N times the free failures. */
export class MemoryThrottleCounter implements ThrottleCounter {
  private readonly throttle: LoginThrottle;

  constructor(options: LoginThrottleOptions, now?: () => number) {
    this.throttle = new LoginThrottle(options, now);
  }

  async lockedForMs(key: string): Promise<number> {
    return this.throttle.lockedForMs(key);
  }

  async recordFailure(key: string): Promise<void> {
    this.throttle.recordFailure(key);
  }

  async clear(key: string): Promise<void> {
    this.throttle.clear(key);
  }
}
