import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig, RabbitConfig, RedisConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { LOGGER } from '../ops/logger.js';
import { Readiness } from '../ops/readiness.js';
import { BACKPLANE, type Backplane } from './backplane.port.js';
import { LocalBackplane, LOCAL_LOG_CAPACITY } from './local-backplane.js';
import { LocalPersistQueue } from './local-persist-queue.js';
import { PERSIST_QUEUE, type PersistQueue } from './persist-queue.port.js';
import { RabbitBackplane } from './rabbit-backplane.js';
import { RabbitPersistQueue } from './rabbit-persist-queue.js';
import { RedisBackplane } from './redis-backplane.js';
import {
  closeConnection,
  createBlockingConnection,
  createCommandConnection,
  createSubscriberConnection,
} from '../redis/redis-connection.js';
import { checkClusterKeyLayout, checkPartitionCount } from './redis-layout-check.js';
import { RedisPersistQueue } from './redis-persist-queue.js';
import { RedisSequencer } from './redis-sequencer.js';

/** The backplane and its persist queue are made together: locally, one feeds the other. */
interface BackplaneParts {
  readonly backplane: Backplane;
  readonly persistQueue: PersistQueue;
}

const BACKPLANE_PARTS = Symbol('BackplaneParts');

async function createParts(config: AppConfig, log: Logger): Promise<BackplaneParts> {
  const backplaneLog = log.child({ layer: 'backplane' });
  const onError = (message: string, error?: unknown) => backplaneLog.warn({ err: error }, message);
  switch (config.backplane.kind) {
    case 'local': {
      const persistQueue = new LocalPersistQueue(config.persister.claimIdleMs);
      return { backplane: new LocalBackplane(LOCAL_LOG_CAPACITY, persistQueue.enqueue), persistQueue };
    }
    case 'redis': {
      const parts = createRedisParts(config.backplane.redis, config.persister.claimIdleMs, onError);
      await refuseUnsafeLayoutChange(config.backplane.redis, parts);
      return parts;
    }
    case 'rabbitmq':
      return createRabbitParts(config.backplane.redis, config.backplane.rabbitmq, onError);
  }
}

function createRabbitParts(
  redis: RedisConfig,
  rabbit: RabbitConfig,
  onError: (message: string, error?: unknown) => void,
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

function createRedisParts(
  redis: RedisConfig,
  claimIdleMs: number,
  onError: (message: string, error?: unknown) => void,
): BackplaneParts {
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
  return { backplane, persistQueue };
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

@Injectable()
class BackplaneLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(BACKPLANE) private readonly backplane: Backplane,
    @Inject(PERSIST_QUEUE) private readonly persistQueue: PersistQueue,
    @Inject(Readiness) readiness: Readiness,
  ) {
    readiness.register({ name: 'backplane', check: () => backplane.ping() });
  }

  // On (not before) shutdown: the realtime layer drains its sessions and the persister flushes
  // in beforeApplicationShutdown, both still needing the backplane and the queue.
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.persistQueue.close(), this.backplane.close()]);
  }
}

/** BACKPLANE and PERSIST_QUEUE: in-process for the embedded default, Redis or RabbitMQ (with Redis) for scale-out. */
@Module({
  providers: [
    { provide: BACKPLANE_PARTS, useFactory: createParts, inject: [APP_CONFIG, LOGGER] },
    { provide: BACKPLANE, useFactory: (parts: BackplaneParts) => parts.backplane, inject: [BACKPLANE_PARTS] },
    { provide: PERSIST_QUEUE, useFactory: (parts: BackplaneParts) => parts.persistQueue, inject: [BACKPLANE_PARTS] },
    BackplaneLifecycle,
  ],
  exports: [BACKPLANE, PERSIST_QUEUE],
})
export class BackplaneModule {}
