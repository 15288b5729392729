import { describeOnRedis, RedisWorld } from '../support/redis-world.js';
import { describePersistQueueContract } from './persist-queue.contract.js';

await describeOnRedis('PersistQueue contract: Redis', () =>
  describePersistQueueContract('Redis', async ({ claimIdleMs }) => {
    const world = new RedisWorld();
    const backplane = world.backplane('persist-contract');
    const queues = [0, 1].map((i) => world.persistQueue(`persist-contract-${i}`, claimIdleMs));
    return { backplane, queues: [queues[0]!, queues[1]!], close: () => world.close() };
  }),
);
