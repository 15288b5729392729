import { deleteRedisKeys } from '../support/redis.js';
import { describeOnRabbitMq, RabbitWorld } from '../support/rabbitmq-world.js';
import { describeBackplaneContract } from './backplane.contract.js';

await describeOnRabbitMq('Backplane contract: RabbitMQ', () =>
  describeBackplaneContract('RabbitMQ', async ({ instances, logCapacity }) => {
    const world = new RabbitWorld({ REDIS_LOG_MAX_LENGTH: String(logCapacity) });
    const backplanes = Array.from({ length: instances }, (_, i) => world.backplane(`contract-${i}`));
    // An instance counts as started once it hears control events, as the app's readiness does.
    await Promise.all(backplanes.map((backplane) => backplane.whenControlReady()));
    return {
      instances: backplanes,
      // Sequences, logs and dedupe records live in Redis: deleting them is Redis restarted empty.
      loseState: () => deleteRedisKeys(world.redis.keyPrefix),
      close: () => world.close(),
    };
  }),
);
