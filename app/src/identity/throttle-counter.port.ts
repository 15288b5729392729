import type { LoginThrottleOptions } from './login-throttle.js';

/**
 * Failures per key (an account, an address) with a growing lockout, as LoginThrottle counts them:
 * in this process's memory, or in Redis so that every instance shares one count.
 */
export interface ThrottleCounter {
  /** How long the key's lockout still runs; 0 when it is not locked out. */
  lockedForMs(key: string): Promise<number>;
  /** One more failure; past the free ones it (re)starts the key's lockout, doubled each time. */
  recordFailure(key: string): Promise<void>;
  /** Forgets the key (a successful login clears its account). */
  clear(key: string): Promise<void>;
}

/** What AuthThrottle counts, each with its own free failures; also the counter's Redis key part. */
export type ThrottleCounterName = 'accounts' | 'addresses' | 'registrations';

export type ThrottleCounterFactory = (name: ThrottleCounterName, options: LoginThrottleOptions) => ThrottleCounter;
