import type { OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { RedisAuthKeys } from './redis-auth-keys.js';

interface SharedAuthRedis {
  readonly connection: Redis;
  readonly keys: RedisAuthKeys;
}

/**
 * The identity doors' Redis connection (login throttling, the access-token deny-list), present
 * whenever Redis is configured; undefined for the embedded default, which keeps both in memory.
 */
export class AuthRedis implements OnApplicationShutdown {
  private constructor(readonly shared: SharedAuthRedis | undefined) {}

  /** The connection factory (and with it ioredis) is imported only when Redis is configured. */
  static async open(config: AppConfig): Promise<AuthRedis> {
    if (config.backplane.kind === 'local') return new AuthRedis(undefined);
    const { createCommandConnection } = await import('../redis/redis-connection.js');
    const redis = config.backplane.redis;
    return new AuthRedis({
      connection: createCommandConnection(redis, 'chat-auth'),
      keys: new RedisAuthKeys(redis.keyPrefix),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.shared?.connection;
    if (connection === undefined) return;
    await connection.quit().catch(() => connection.disconnect());
  }
}
