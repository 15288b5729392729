import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createCommandConnection } from '../redis/redis-connection.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { RedisAuthKeys } from './redis-auth-keys.js';

/**
 * The identity doors' Redis connection (login throttling, the access-token deny-list), present
 * whenever Redis is configured; undefined for the embedded default, which keeps both in memory.
 */
@Injectable()
export class AuthRedis implements OnApplicationShutdown {
  readonly shared: { readonly connection: Redis; readonly keys: RedisAuthKeys } | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.backplane.kind === 'local') return;
    const redis = config.backplane.redis;
    this.shared = { connection: createCommandConnection(redis, 'chat-auth'), keys: new RedisAuthKeys(redis.keyPrefix) };
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.shared?.connection;
    if (connection === undefined) return;
    await connection.quit().catch(() => connection.disconnect());
  }
}
