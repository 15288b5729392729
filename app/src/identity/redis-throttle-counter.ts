import type { Redis } from 'ioredis';
import type { LoginThrottleOptions } from './login-throttle.js';
import type { RedisAuthKeys } from './redis-auth-keys.js';
import type { ThrottleCounter, ThrottleCounterName } from './throttle-counter.port.js';

// Time is Redis's TIME, so instances' clocks need not agree; %d keeps large numbers out of
// exponent notation. An entry whose window ended with no lockout running is forgotten, as in
// LoginThrottle; the key's TTL is exactly when that happens, so nothing outlives its use.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;
const CURRENT = `${NOW}
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures'))
local windowStart = tonumber(redis.call('HGET', KEYS[1], 'windowStart'))
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil')) or 0
if failures == nil or (now - windowStart > tonumber(ARGV[1]) and lockedUntil <= now) then
  failures = 0; windowStart = now; lockedUntil = 0
end
`;

/** ARGV: windowMs → ms the lockout still runs. */
const LOCKED_FOR = `${CURRENT}
return math.max(0, lockedUntil - now)
`;

/** ARGV: windowMs, freeFailures, baseLockoutMs, maxLockoutMs. */
const RECORD_FAILURE = `${CURRENT}
failures = failures + 1
local excess = failures - tonumber(ARGV[2])
if excess > 0 then
  lockedUntil = now + math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(excess - 1, 30))
end
redis.call('HSET', KEYS[1], 'failures', failures, 'windowStart', string.format('%d', windowStart),
  'lockedUntil', string.format('%d', lockedUntil))
local expiresAt = math.max(windowStart + tonumber(ARGV[1]), lockedUntil)
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.max(1, expiresAt - now + 1)))
return failures
`;

/** The shared counter: every instance reads and writes one count per key, each step one script. */
export class RedisThrottleCounter implements ThrottleCounter {
  constructor(
    private readonly connection: Redis,
    private readonly keys: RedisAuthKeys,
    private readonly name: ThrottleCounterName,
    private readonly options: LoginThrottleOptions,
  ) {}

  async lockedForMs(key: string): Promise<number> {
    return Number(await this.connection.eval(LOCKED_FOR, 1, this.key(key), this.options.windowMs));
  }

  async recordFailure(key: string): Promise<void> {
    const { windowMs, freeFailures, baseLockoutMs, maxLockoutMs } = this.options;
    await this.connection.eval(RECORD_FAILURE, 1, this.key(key), windowMs, freeFailures, baseLockoutMs, maxLockoutMs);
  }

  async clear(key: string): Promise<void> {
    await this.connection.del(this.key(key));
  }

  private key(key: string): string {
    return this.keys.throttle(this.name, key);
  }
}
