import { describeOnRabbitMq, RabbitWorld } from '../support/rabbitmq-world.js';
import { describePersistQueueContract } from './persist-queue.contract.js';

await describeOnRabbitMq('PersistQueue contract: RabbitMQ', () =>
  describePersistQueueContract('RabbitMQ', async ({ claimIdleMs }) => {
    const world = new RabbitWorld();
    const backplane = world.backplane('persist-contract');
    await backplane.whenControlReady();
    const queues = [0, 1].map((i) => world.persistQueue(`persist-contract-${i}`, claimIdleMs));
    return { backplane, queues: [queues[0]!, queues[1]!], close: () => world.close() };
  }),
);
