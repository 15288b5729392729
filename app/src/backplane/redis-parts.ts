import type { RedisConfig } from '../config/app-config.js';
import {
  closeConnection,
  createBlockingConnection,
  createCommandConnection,
  createSubscriberConnection,
} from '../redis/redis-connection.js';
import type { BackplaneErrorSink, BackplaneParts } from './backplane-parts.js';
import { RedisBackplane } from './redis-backplane.js';
import { checkClusterKeyLayout, checkPartitionCount } from './redis-layout-check.js';
import { RedisPersistQueue } from './redis-persist-queue.js';

/**
 * The Redis backplane and persist queue. backplane.module.ts imports this file only when
 * BACKPLANE=redis, so ioredis is not loaded by a configuration that does not use it.
 */
export async function createRedisParts(
  redis: RedisConfig,
  claimIdleMs: number,
  onError: BackplaneErrorSink,
): Promise<BackplaneParts> {
  const backplane = new RedisBackplane({
    commands: createCommandConnection(redis, 'chat-backplane'),
    subscriber: createSubscriberConnection(redis, 'chat-backplane-sub'),
    keyPrefix: redis.keyPrefix,
    partitions: redis.cluster?.partitions,
    logMaxLength: redis.logMaxLength,
    timeoutMs: redis.commandTimeoutMs,
    waitForReplicas: { replicas: redis.receiptWaitReplicas, timeoutMs: redis.receiptWaitTimeoutMs },
    onError,
  });
  const persistQueue = new RedisPersistQueue({
    commands: createCommandConnection(redis, 'chat-persist'),
    blocking: createBlockingConnection(redis, 'chat-persist-block'),
    keyPrefix: redis.keyPrefix,
    partitions: redis.cluster?.partitions,
    claimIdleMs,
    onError,
  });
  const parts = { backplane, persistQueue };
  await refuseUnsafeLayoutChange(redis, parts);
  return parts;
}

/**
 * Cluster mode: refuse to start while the single-node layout's persist stream holds entries, or
 * with another partition count than the cluster's keys were written with.
 */
async function refuseUnsafeLayoutChange(redis: RedisConfig, parts: BackplaneParts): Promise<void> {
  if (redis.cluster === undefined) return;
  const checker = createCommandConnection(redis, 'chat-layout-check');
  checker.on('error', () => undefined); // unreachable Redis: the check gives up and the backplane reports it
  try {
    await checkClusterKeyLayout(checker, redis.keyPrefix, redis.commandTimeoutMs);
    await checkPartitionCount(checker, redis.keyPrefix, redis.cluster.partitions, redis.commandTimeoutMs);
  } catch (error) {
    await Promise.all([parts.backplane.close(), parts.persistQueue.close()]);
    throw error;
  } finally {
    await closeConnection(checker);
  }
}
