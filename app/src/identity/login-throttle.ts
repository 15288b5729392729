import { AppError } from '../errors/app-error.js';

export interface LoginThrottleOptions {
  /** Failures a key may have within `windowMs` before it is locked out. */
  readonly freeFailures: number;
  readonly windowMs: number;
  /** First lockout; each further failure while over the limit doubles it, up to `maxLockoutMs`. */
  readonly baseLockoutMs: number;
  readonly maxLockoutMs: number;
  /** Keys tracked at most (oldest dropped first), so a spray of names cannot grow memory. */
  readonly maxKeys?: number;
}

interface Entry {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

/**
 * Counts failures per key (an account, an address) in memory and locks a key out with a growing
 * delay once it has too many: `assertAllowed` throws LIMIT_LOGIN_ATTEMPTS (429) with
 * `retryAfterSeconds`, which the HTTP filter turns into a Retry-After header. Per instance: a
 * client spread over N instances gets up to N times the free failures.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: LoginThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  assertAllowed(key: string): void {
    assertNotLocked(this.lockedForMs(key));
  }

  /** How long the key's lockout still runs; 0 when it is not locked out. */
  lockedForMs(key: string): number {
    const entry = this.current(key);
    return entry === undefined ? 0 : Math.max(0, entry.lockedUntil - this.now());
  }

  recordFailure(key: string): void {
    const now = this.now();
    const entry = this.current(key) ?? { failures: 0, windowStart: now, lockedUntil: 0 };
    entry.failures += 1;
    const excess = entry.failures - this.options.freeFailures;
    if (excess > 0) entry.lockedUntil = now + lockoutMs(this.options, excess);
    this.entries.delete(key);
    this.entries.set(key, entry);
    const maxKeys = this.options.maxKeys ?? 100_000;
    if (this.entries.size > maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A success clears the key (an account's own login, not the address it came from). */
  clear(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    // A window that ended with no lockout running is forgotten.
    if (now - entry.windowStart > this.options.windowMs && entry.lockedUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** The lockout after `excess` failures over the free ones: doubling from the base, capped. */
export function lockoutMs(options: LoginThrottleOptions, excess: number): number {
  return Math.min(options.maxLockoutMs, options.baseLockoutMs * 2 ** Math.min(excess - 1, 30));
}

/** Throws LIMIT_LOGIN_ATTEMPTS (429, Retry-After in whole seconds) while a lockout runs. */
export function assertNotLocked(lockedForMs: number): void {
  if (lockedForMs <= 0) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(lockedForMs / 1000));
  throw new AppError('LIMIT_LOGIN_ATTEMPTS', `too many attempts; retry in ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}
