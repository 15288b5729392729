import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { LOGGER } from '../ops/logger.js';
import { Readiness } from '../ops/readiness.js';
import { BACKPLANE, type Backplane } from './backplane.port.js';
import type { BackplaneParts } from './backplane-parts.js';
import { LocalBackplane, LOCAL_LOG_CAPACITY } from './local-backplane.js';
import { LocalPersistQueue } from './local-persist-queue.js';
import { PERSIST_QUEUE, type PersistQueue } from './persist-queue.port.js';

const BACKPLANE_PARTS = Symbol('BackplaneParts');

/**
 * The Redis and RabbitMQ parts are imported here, when configured: their clients (ioredis,
 * amqplib) cost the embedded default several MiB of memory it would never use.
 */
async function createParts(config: AppConfig, log: Logger): Promise<BackplaneParts> {
  const backplaneLog = log.child({ layer: 'backplane' });
  const onError = (message: string, error?: unknown) => backplaneLog.warn({ err: error }, message);
  switch (config.backplane.kind) {
    case 'local': {
      const persistQueue = new LocalPersistQueue(config.persister.claimIdleMs);
      return { backplane: new LocalBackplane(LOCAL_LOG_CAPACITY, persistQueue.enqueue), persistQueue };
    }
    case 'redis': {
      const { createRedisParts } = await import('./redis-parts.js');
      return createRedisParts(config.backplane.redis, config.persister.claimIdleMs, onError);
    }
    case 'rabbitmq': {
      const { createRabbitParts } = await import('./rabbit-parts.js');
      return createRabbitParts(config.backplane.redis, config.backplane.rabbitmq, onError);
    }
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
