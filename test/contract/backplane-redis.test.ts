import { describeRedisUnavailable, redisAvailable } from '../support/redis.js';
import { describeBackplaneContract } from './backplane.contract.js';
import { redisBackplaneWorlds, singleNodeRedis } from './redis-worlds.js';

const availability = await redisAvailable();
if (availability.ok) {
  describeBackplaneContract('Redis', redisBackplaneWorlds(singleNodeRedis));
} else {
  describeRedisUnavailable('Backplane contract: Redis', availability.reason);
}
