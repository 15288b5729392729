import { hostname } from 'node:os';
import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { BackplaneModule } from '../../backplane/backplane.module.js';
import { PERSIST_QUEUE, type PersistQueue } from '../../backplane/persist-queue.port.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/app-config.token.js';
import { LOGGER } from '../../ops/logger.js';
import { Readiness } from '../../ops/readiness.js';
import { ServiceMetrics } from '../../ops/service-metrics.js';
import { ShutdownFlushes } from '../../ops/shutdown-flushes.js';
import { MessageStoreModule } from '../store/message-store.module.js';
import { MESSAGE_STORE, type MessageStore } from '../store/message-store.port.js';
import { MessagePersister } from './message-persister.js';
import { createPersisterMetrics } from './persister-metrics.js';

/**
 * This instance's consumer name in the persist queue's group. Host and pid tell instances
 * apart (one task per host on ECS); entries a dead consumer left pending are claimed by the
 * living ones after the queue's idle time, whatever their names.
 */
function consumerName(): string {
  return `persister-${hostname()}-${process.pid}`;
}

function createPersister(
  queue: PersistQueue,
  store: MessageStore,
  config: AppConfig,
  log: Logger,
  metrics: ServiceMetrics,
): MessagePersister {
  const persister = new MessagePersister(
    queue,
    store,
    { consumer: consumerName(), ...config.persister },
    log.child({ layer: 'persister' }),
    createPersisterMetrics(metrics.registry),
  );
  metrics.gauge(
    'persister_backlog',
    'Published messages not yet persisted (unacknowledged persist queue entries)',
    () => persister.currentBacklog(),
  );
  return persister;
}

@Injectable()
class PersisterLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(MessagePersister) private readonly persister: MessagePersister,
    @Inject(MESSAGE_STORE) store: MessageStore,
    @Inject(Readiness) readiness: Readiness,
    @Inject(ShutdownFlushes) flushes: ShutdownFlushes,
  ) {
    // Advisory: a store outage shows in /readyz but never takes the instance out of service,
    // because delivery does not depend on the store (the backlog waits in the queue).
    readiness.register({
      name: 'message-store',
      advisory: true,
      check: async () => {
        const outage = persister.storeOutage;
        if (outage !== undefined) {
          const seconds = Math.round((Date.now() - outage.since) / 1000);
          throw new Error(
            `unavailable for ${seconds} s (${outage.lastError}); ${persister.backlog} messages queued for it; delivery continues`,
          );
        }
        await store.ping();
      },
    });
    flushes.register(() => persister.flush());
  }

  onApplicationBootstrap(): void {
    this.persister.start();
  }

  // The graceful drain's flush (before shutdown) has normally stopped the loop already, after
  // persisting what it could; stopping earlier would leave a batch in flight to the queue's
  // claim timeout instead of to the flush. This is the backstop.
  async onApplicationShutdown(): Promise<void> {
    await this.persister.stop();
  }
}

/** The write-behind persister: persist queue → message store, one loop per instance. */
@Module({
  imports: [BackplaneModule, MessageStoreModule],
  providers: [
    {
      provide: MessagePersister,
      useFactory: createPersister,
      inject: [PERSIST_QUEUE, MESSAGE_STORE, APP_CONFIG, LOGGER, ServiceMetrics],
    },
    PersisterLifecycle,
  ],
  exports: [MessagePersister],
})
export class PersisterModule {}
