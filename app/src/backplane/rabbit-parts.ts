import type { RabbitConfig, RedisConfig } from '../config/app-config.js';
import { createCommandConnection } from '../redis/redis-connection.js';
import type { BackplaneErrorSink, BackplaneParts } from './backplane-parts.js';
import { RabbitBackplane } from './rabbit-backplane.js';
import { RabbitPersistQueue } from './rabbit-persist-queue.js';
import { RedisSequencer } from './redis-sequencer.js';

/**
 * The RabbitMQ backplane and persist queue, sequenced in Redis. backplane.module.ts imports
 * this file only when BACKPLANE=rabbitmq, so amqplib is not loaded otherwise.
 */
export function createRabbitParts(
  redis: RedisConfig,
  rabbit: RabbitConfig,
  onError: BackplaneErrorSink,
): BackplaneParts {
  const sequencer = (name: string) =>
    new RedisSequencer({
      commands: createCommandConnection(redis, name),
      keyPrefix: redis.keyPrefix,
      logMaxLength: redis.logMaxLength,
    });
  const timeoutMs = redis.commandTimeoutMs;
  return {
    backplane: new RabbitBackplane({ rabbit, sequencer: sequencer('chat-sequencer'), timeoutMs, onError }),
    persistQueue: new RabbitPersistQueue({ rabbit, sequencer: sequencer('chat-persist'), timeoutMs, onError }),
  };
}
