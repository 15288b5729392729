import { RabbitBackplane } from '../../app/src/backplane/rabbit-backplane.js';
import { RabbitPersistQueue } from '../../app/src/backplane/rabbit-persist-queue.js';
import {
  deleteRabbitNames,
  describeRabbitUnavailable,
  rabbitAndRedisAvailable,
  randomRabbitPrefix,
  testRabbitSettings,
  testSequencer,
} from '../support/rabbitmq.js';
import { deleteRedisKeys } from '../support/redis.js';
import { describePersistQueueContract } from './persist-queue.contract.js';

const availability = await rabbitAndRedisAvailable();
if (availability.ok) {
  describePersistQueueContract('RabbitMQ', async ({ claimIdleMs }) => {
    const prefix = randomRabbitPrefix();
    const { redis, rabbitmq } = testRabbitSettings(prefix);
    const backplane = new RabbitBackplane({
      rabbit: rabbitmq,
      sequencer: testSequencer(redis, 'persist-contract'),
      timeoutMs: 5_000,
    });
    await backplane.whenControlReady();
    const queue = (i: number) =>
      new RabbitPersistQueue({
        rabbit: rabbitmq,
        sequencer: testSequencer(redis, `persist-contract-${i}`),
        timeoutMs: 5_000,
        claimIdleMs,
      });
    const queues = [queue(0), queue(1)] as const;
    return {
      backplane,
      queues,
      close: async () => {
        await Promise.all([backplane.close(), ...queues.map((q) => q.close())]);
        await Promise.all([deleteRedisKeys(redis.keyPrefix), deleteRabbitNames(prefix)]);
      },
    };
  });
} else {
  describeRabbitUnavailable('PersistQueue contract: RabbitMQ', availability.reason);
}
