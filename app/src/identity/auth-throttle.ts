import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { AppError } from '../errors/app-error.js';
import { LoginThrottle } from './login-throttle.js';

/**
 * Login and registration throttling (429 LIMIT_LOGIN_ATTEMPTS + Retry-After, growing lockout):
 * wrong passwords count against the account and the address they came from, registrations
 * (successful or not) against the address. A successful login clears its account.
 */
@Injectable()
export class AuthThrottle {
  private readonly accounts: LoginThrottle;
  private readonly addresses: LoginThrottle;
  private readonly registrations: LoginThrottle;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { accountFreeFailures, addressFreeFailures, addressFreeRegistrations, ...timing } = config.auth.throttle;
    this.accounts = new LoginThrottle({ ...timing, freeFailures: accountFreeFailures });
    this.addresses = new LoginThrottle({ ...timing, freeFailures: addressFreeFailures });
    this.registrations = new LoginThrottle({ ...timing, freeFailures: addressFreeRegistrations });
  }

  async login<T>(username: string, address: string, attempt: () => Promise<T>): Promise<T> {
    const account = username.toLowerCase();
    this.addresses.assertAllowed(address);
    this.accounts.assertAllowed(account);
    try {
      const result = await attempt();
      this.accounts.clear(account);
      return result;
    } catch (error) {
      if (error instanceof AppError && error.code === 'AUTH_INVALID') {
        this.accounts.recordFailure(account);
        this.addresses.recordFailure(address);
      }
      throw error;
    }
  }

  async register<T>(address: string, attempt: () => Promise<T>): Promise<T> {
    this.registrations.assertAllowed(address);
    this.registrations.recordFailure(address);
    return attempt();
  }
}
