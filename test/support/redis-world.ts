import { randomUUID } from 'node:crypto';
import { RedisBackplane } from '../../app/src/backplane/redis-backplane.js';
import {
  createBlockingConnection,
  createCommandConnection,
  createSubscriberConnection,
} from '../../app/src/redis/redis-connection.js';
import { RedisPersistQueue } from '../../app/src/backplane/redis-persist-queue.js';
import type { RedisConfig } from '../../app/src/config/app-config.js';
import type { PresenceTiming } from '../../app/src/presence/presence-timing.js';
import { RedisPresenceRegistry } from '../../app/src/presence/redis-presence-registry.js';
import { OpenedParts } from './opened-parts.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  testRedisConfig,
} from './redis.js';

/**
 * The Redis-backed parts of one test, wired as the app wires them, under a key prefix of its
 * own: close() closes every part it made and removes every key they wrote.
 */
export class RedisWorld {
  readonly keyPrefix = randomKeyPrefix();
  readonly config: RedisConfig;
  private readonly opened = new OpenedParts();

  /** `env`: REDIS_* settings to differ from the defaults (e.g. REDIS_LOG_MAX_LENGTH). */
  constructor(env: Record<string, string> = {}) {
    this.config = testRedisConfig(this.keyPrefix, env);
  }

  backplane(name: string): RedisBackplane {
    return this.opened.add(
      new RedisBackplane({
        commands: createCommandConnection(this.config, name),
        subscriber: createSubscriberConnection(this.config, `${name}-sub`),
        keyPrefix: this.keyPrefix,
        logMaxLength: this.config.logMaxLength,
        timeoutMs: this.config.commandTimeoutMs,
      }),
    );
  }

  persistQueue(name: string, claimIdleMs?: number): RedisPersistQueue {
    return this.opened.add(
      new RedisPersistQueue({
        commands: createCommandConnection(this.config, name),
        blocking: createBlockingConnection(this.config, `${name}-block`),
        keyPrefix: this.keyPrefix,
        claimIdleMs,
      }),
    );
  }

  presenceRegistry(name: string, timing: PresenceTiming): RedisPresenceRegistry {
    return this.opened.add(
      new RedisPresenceRegistry({
        connection: createCommandConnection(this.config, name),
        keyPrefix: this.keyPrefix,
        instanceId: randomUUID(),
        timing,
      }),
    );
  }

  async close(): Promise<void> {
    await this.opened.closeAll();
    await deleteRedisKeys(this.keyPrefix);
  }
}

/**
 * Declares `suite` through `describeSuite` when Redis answers; otherwise a suite that fails
 * (REQUIRE_SERVICES=1) or is skipped, named `suite`, with the reason.
 */
export async function describeOnRedis(suite: string, describeSuite: () => void): Promise<void> {
  const availability = await redisAvailable();
  if (availability.ok) describeSuite();
  else describeRedisUnavailable(suite, availability.reason);
}
