import { describeRedisUnavailable, redisAvailable } from '../support/redis.js';
import { describePresenceRegistryContract } from './presence-registry.contract.js';
import { redisPresenceWorlds, singleNodeRedis } from './redis-worlds.js';

const availability = await redisAvailable();
if (availability.ok) {
  describePresenceRegistryContract('Redis', redisPresenceWorlds(singleNodeRedis));
} else {
  describeRedisUnavailable('PresenceRegistry contract: Redis', availability.reason);
}
