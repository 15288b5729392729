import { describeRedisUnavailable, redisAvailable } from '../support/redis.js';
import { describePersistQueueContract } from './persist-queue.contract.js';
import { redisPersistWorlds, singleNodeRedis } from './redis-worlds.js';

const availability = await redisAvailable();
if (availability.ok) {
  describePersistQueueContract('Redis', redisPersistWorlds(singleNodeRedis));
} else {
  describeRedisUnavailable('PersistQueue contract: Redis', availability.reason);
}
