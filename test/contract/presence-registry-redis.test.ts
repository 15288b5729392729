import { describeOnRedis, RedisWorld } from '../support/redis-world.js';
import { describePresenceRegistryContract } from './presence-registry.contract.js';

await describeOnRedis('PresenceRegistry contract: Redis', () =>
  describePresenceRegistryContract('Redis', async (timing) => {
    const world = new RedisWorld();
    let made = 0;
    return {
      instance: () => world.presenceRegistry(`presence-contract-${made++}`, timing),
      close: () => world.close(),
    };
  }),
);
