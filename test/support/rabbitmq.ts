import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import type { RabbitConfig, RedisConfig } from '../../app/src/config/app-config.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { RabbitNames } from '../../app/src/backplane/rabbit-names.js';
import { RedisSequencer } from '../../app/src/backplane/redis-sequencer.js';
import { createCommandConnection } from '../../app/src/redis/redis-connection.js';
import { redisAvailable, redisUrl, type RedisAvailability } from './redis.js';
import { describeServiceUnavailable } from './services.js';

/** The shared RabbitMQ for integration suites (RABBITMQ_URL); every suite uses its own name prefix. */
export function rabbitUrl(): string {
  return process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
}

/** Whether RabbitMQ answers an AMQP handshake within two seconds, and Redis (its sequencer) a PING. */
export async function rabbitAndRedisAvailable(url = rabbitUrl()): Promise<RedisAvailability> {
  try {
    const model = await connect(url, { timeout: 2_000 });
    await model.close();
  } catch (error) {
    return { ok: false, reason: `cannot reach RabbitMQ at ${new URL(url).host} (${(error as Error).message})` };
  }
  return redisAvailable();
}

export function describeRabbitUnavailable(suite: string, reason: string): void {
  describeServiceUnavailable(suite, 'RabbitMQ and Redis', 'RABBITMQ_URL', reason);
}

/** A name prefix (RabbitMQ) and key prefix (Redis) no other run or test shares. */
export function randomRabbitPrefix(): string {
  return `test-${randomBytes(5).toString('hex')}`;
}

/** The settings the app would build for BACKPLANE=rabbitmq on these services, under the suite's prefixes. */
export function testRabbitSettings(
  prefix: string,
  env: Record<string, string> = {},
  url = rabbitUrl(),
): { redis: RedisConfig; rabbitmq: RabbitConfig } {
  const config = loadConfig({
    NODE_ENV: 'test',
    BACKPLANE: 'rabbitmq',
    RABBITMQ_URL: url,
    RABBITMQ_NAME_PREFIX: prefix,
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: `${prefix}:`,
    ...env,
  });
  if (config.backplane.kind !== 'rabbitmq') throw new Error('expected the RabbitMQ backplane');
  return config.backplane;
}

export function testSequencer(redis: RedisConfig, name: string): RedisSequencer {
  return new RedisSequencer({
    commands: createCommandConnection(redis, name),
    keyPrefix: redis.keyPrefix,
    logMaxLength: redis.logMaxLength,
  });
}

/** Removes a suite's durable exchanges and persist queue (instance queues go with their connections). */
export async function deleteRabbitNames(prefix: string, url = rabbitUrl()): Promise<void> {
  const names = new RabbitNames(prefix);
  const model = await connect(url);
  try {
    const channel = await model.createChannel();
    await channel.deleteQueue(names.persistQueue);
    await channel.deleteExchange(names.messagesExchange);
    await channel.deleteExchange(names.controlExchange);
  } finally {
    await model.close().catch(() => {});
  }
}
