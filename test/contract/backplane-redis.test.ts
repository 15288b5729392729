import { RedisBackplane } from '../../app/src/backplane/redis-backplane.js';
import { createCommandConnection, createSubscriberConnection } from '../../app/src/redis/redis-connection.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  testRedisConfig,
} from '../support/redis.js';
import { describeBackplaneContract } from './backplane.contract.js';

const availability = await redisAvailable();
if (availability.ok) {
  describeBackplaneContract('Redis', async ({ instances, logCapacity }) => {
    const keyPrefix = randomKeyPrefix();
    const redis = testRedisConfig(keyPrefix);
    const backplanes = Array.from(
      { length: instances },
      (_, i) =>
        new RedisBackplane({
          commands: createCommandConnection(redis, `contract-${i}`),
          subscriber: createSubscriberConnection(redis, `contract-${i}-sub`),
          keyPrefix,
          logMaxLength: logCapacity,
          timeoutMs: redis.commandTimeoutMs,
        }),
    );
    // An instance counts as started once it hears control events, as the app's readiness does.
    await Promise.all(backplanes.map((backplane) => backplane.whenControlReady()));
    return {
      instances: backplanes,
      // Deleting the prefix's keys is what a restart without persistence does to this suite's part of Redis.
      loseState: () => deleteRedisKeys(keyPrefix),
      close: async () => {
        await Promise.all(backplanes.map((backplane) => backplane.close()));
        await deleteRedisKeys(keyPrefix);
      },
    };
  });
} else {
  describeRedisUnavailable('Backplane contract: Redis', availability.reason);
}
