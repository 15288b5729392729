import { RabbitBackplane } from '../../app/src/backplane/rabbit-backplane.js';
import {
  deleteRabbitNames,
  describeRabbitUnavailable,
  rabbitAndRedisAvailable,
  randomRabbitPrefix,
  testRabbitSettings,
  testSequencer,
} from '../support/rabbitmq.js';
import { deleteRedisKeys } from '../support/redis.js';
import { describeBackplaneContract } from './backplane.contract.js';

const availability = await rabbitAndRedisAvailable();
if (availability.ok) {
  describeBackplaneContract('RabbitMQ', async ({ instances, logCapacity }) => {
    const prefix = randomRabbitPrefix();
    const { redis, rabbitmq } = testRabbitSettings(prefix, { REDIS_LOG_MAX_LENGTH: String(logCapacity) });
    const backplanes = Array.from(
      { length: instances },
      (_, i) =>
        new RabbitBackplane({
          rabbit: rabbitmq,
          sequencer: testSequencer(redis, `contract-${i}`),
          timeoutMs: 5_000,
        }),
    );
    // An instance counts as started once it hears control events, as the app's readiness does.
    await Promise.all(backplanes.map((backplane) => backplane.whenControlReady()));
    return {
      instances: backplanes,
      close: async () => {
        await Promise.all(backplanes.map((backplane) => backplane.close()));
        await Promise.all([deleteRedisKeys(redis.keyPrefix), deleteRabbitNames(prefix)]);
      },
    };
  });
} else {
  describeRabbitUnavailable('Backplane contract: RabbitMQ', availability.reason);
}
