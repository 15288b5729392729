import { randomUUID } from 'node:crypto';
import { createCommandConnection } from '../../app/src/redis/redis-connection.js';
import { RedisPresenceRegistry } from '../../app/src/presence/redis-presence-registry.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  testRedisConfig,
} from '../support/redis.js';
import { describePresenceRegistryContract } from './presence-registry.contract.js';

const availability = await redisAvailable();
if (availability.ok) {
  describePresenceRegistryContract('Redis', async (timing) => {
    const keyPrefix = randomKeyPrefix();
    const redis = testRedisConfig(keyPrefix);
    const registries: RedisPresenceRegistry[] = [];
    return {
      instance: () => {
        const instanceId = randomUUID();
        const registry = new RedisPresenceRegistry({
          connection: createCommandConnection(redis, `presence-contract-${registries.length}`),
          keyPrefix,
          instanceId,
          timing,
        });
        registries.push(registry);
        return registry;
      },
      close: async () => {
        await Promise.all(registries.map((registry) => registry.close()));
        await deleteRedisKeys(keyPrefix);
      },
    };
  });
} else {
  describeRedisUnavailable('PresenceRegistry contract: Redis', availability.reason);
}
