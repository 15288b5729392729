import { RedisBackplane } from '../../app/src/backplane/redis-backplane.js';
import {
  createBlockingConnection,
  createCommandConnection,
  createSubscriberConnection,
} from '../../app/src/redis/redis-connection.js';
import { RedisPersistQueue } from '../../app/src/backplane/redis-persist-queue.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  testRedisConfig,
} from '../support/redis.js';
import { describePersistQueueContract } from './persist-queue.contract.js';

const availability = await redisAvailable();
if (availability.ok) {
  describePersistQueueContract('Redis', async ({ claimIdleMs }) => {
    const keyPrefix = randomKeyPrefix();
    const redis = testRedisConfig(keyPrefix);
    const backplane = new RedisBackplane({
      commands: createCommandConnection(redis, 'persist-contract'),
      subscriber: createSubscriberConnection(redis, 'persist-contract-sub'),
      keyPrefix,
      logMaxLength: redis.logMaxLength,
      timeoutMs: redis.commandTimeoutMs,
    });
    const queue = (i: number) =>
      new RedisPersistQueue({
        commands: createCommandConnection(redis, `persist-contract-${i}`),
        blocking: createBlockingConnection(redis, `persist-contract-${i}-block`),
        keyPrefix,
        claimIdleMs,
      });
    const queues = [queue(0), queue(1)] as const;
    return {
      backplane,
      queues,
      close: async () => {
        await Promise.all([backplane.close(), ...queues.map((q) => q.close())]);
        await deleteRedisKeys(keyPrefix);
      },
    };
  });
} else {
  describeRedisUnavailable('PersistQueue contract: Redis', availability.reason);
}
