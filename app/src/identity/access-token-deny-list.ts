import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { AuthRedis } from './auth-redis.js';

/**
 * Logins whose access tokens no longer count, shared through Redis: logout (or a refresh-token
 * re-use) denies the login's session id (the tokens' `sid` claim, the refresh-token family) for
 * as long as any of its access tokens can still be valid, so a token copied before the logout
 * stops working at once on every instance, over REST and STOMP alike. Off without Redis or with
 * ACCESS_TOKEN_DENYLIST=false: then such a token works until its `exp` (sessions are still closed
 * by the revocation feed).
 *
 * A Redis failure never locks anyone out: the check then lets the token through (logged), and
 * a denial that could not be written is logged while the logout itself stands.
 */
@Injectable()
export class AccessTokenDenyList {
  private readonly logger = new Logger(AccessTokenDenyList.name);
  private readonly ttlMs: number;
  private readonly enabled: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(AuthRedis) private readonly redis: AuthRedis,
  ) {
    const { accessTtlSeconds, clockToleranceSeconds } = config.auth.jwt;
    // Every access token of the login has expired (with the verifier's tolerance) by then.
    this.ttlMs = (accessTtlSeconds + clockToleranceSeconds + 1) * 1000;
    this.enabled = config.auth.accessTokenDenyList && redis.shared !== undefined;
  }

  async deny(sessionId: string): Promise<void> {
    const shared = this.redis.shared;
    if (!this.enabled || shared === undefined) return;
    try {
      await shared.connection.set(shared.keys.deniedToken(sessionId), '1', 'PX', this.ttlMs);
    } catch (error) {
      this.logger.warn(`could not deny the access tokens of a logged-out login: ${String(error)}`);
    }
  }

  async isDenied(sessionId: string | undefined): Promise<boolean> {
    const shared = this.redis.shared;
    if (!this.enabled || shared === undefined || sessionId === undefined) return false;
    try {
      return (await shared.connection.exists(shared.keys.deniedToken(sessionId))) === 1;
    } catch (error) {
      this.logger.warn(`access-token deny-list unreadable, token let through: ${String(error)}`);
      return false;
    }
  }
}
