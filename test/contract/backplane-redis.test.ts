import { deleteRedisKeys } from '../support/redis.js';
import { describeOnRedis, RedisWorld } from '../support/redis-world.js';
import { describeBackplaneContract } from './backplane.contract.js';

await describeOnRedis('Backplane contract: Redis', () =>
  describeBackplaneContract('Redis', async ({ instances, logCapacity }) => {
    const world = new RedisWorld({ REDIS_LOG_MAX_LENGTH: String(logCapacity) });
    const backplanes = Array.from({ length: instances }, (_, i) => world.backplane(`contract-${i}`));
    // An instance counts as started once it hears control events, as the app's readiness does.
    await Promise.all(backplanes.map((backplane) => backplane.whenControlReady()));
    return {
      instances: backplanes,
      // Deleting the prefix's keys is what a restart without persistence does to this suite's part of Redis.
      loseState: () => deleteRedisKeys(world.keyPrefix),
      close: () => world.close(),
    };
  }),
);
