import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { AppError } from '../errors/app-error.js';
import { AuthRedis } from './auth-redis.js';
import { FallbackThrottleCounter } from './fallback-throttle-counter.js';
import { assertNotLocked, type LoginThrottleOptions } from './login-throttle.js';
import { MemoryThrottleCounter } from './memory-throttle-counter.js';
import { RedisThrottleCounter } from './redis-throttle-counter.js';
import type { ThrottleCounter, ThrottleCounterName } from './throttle-counter.port.js';

/**
 * Login and registration throttling (429 LIMIT_LOGIN_ATTEMPTS + Retry-After, growing lockout):
 * wrong passwords count against the account and the address they came from, registrations
 * (successful or not) against the address. A successful login clears its account. The counts
 * are shared through Redis when it is configured (memory takes over while Redis fails), else
 * kept in this instance's memory.
 */
@Injectable()
export class AuthThrottle {
  private readonly logger = new Logger(AuthThrottle.name);
  private readonly accounts: ThrottleCounter;
  private readonly addresses: ThrottleCounter;
  private readonly registrations: ThrottleCounter;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(AuthRedis) private readonly redis: AuthRedis,
  ) {
    const { accountFreeFailures, addressFreeFailures, addressFreeRegistrations, ...timing } = config.auth.throttle;
    this.accounts = this.counter('accounts', { ...timing, freeFailures: accountFreeFailures });
    this.addresses = this.counter('addresses', { ...timing, freeFailures: addressFreeFailures });
    this.registrations = this.counter('registrations', { ...timing, freeFailures: addressFreeRegistrations });
  }

  async login<T>(username: string, address: string, attempt: () => Promise<T>): Promise<T> {
    const account = username.toLowerCase();
    assertNotLocked(await this.addresses.lockedForMs(address));
    assertNotLocked(await this.accounts.lockedForMs(account));
    try {
      const result = await attempt();
      await this.accounts.clear(account);
      return result;
    } catch (error) {
      if (error instanceof AppError && error.code === 'AUTH_INVALID') {
        await Promise.all([this.accounts.recordFailure(account), this.addresses.recordFailure(address)]);
      }
      throw error;
    }
  }

  async register<T>(address: string, attempt: () => Promise<T>): Promise<T> {
    assertNotLocked(await this.registrations.lockedForMs(address));
    await this.registrations.recordFailure(address);
    return attempt();
  }

  private counter(name: ThrottleCounterName, options: LoginThrottleOptions): ThrottleCounter {
    const local = new MemoryThrottleCounter(options);
    const shared = this.redis.shared;
    if (shared === undefined) return local;
    return new FallbackThrottleCounter(new RedisThrottleCounter(shared.connection, shared.keys, name, options), local, {
      started: (error) =>
        this.logger.warn(
          `login throttling (${name}) falls back to this instance's memory: Redis failed: ${String(error)}`,
        ),
      ended: () => this.logger.log(`login throttling (${name}) shares its counts through Redis again`),
    });
  }
}
