import { Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/app-config.token.js';
import { DatabaseModule } from '../../database/database.module.js';
import { DATA_SOURCE } from '../../database/database.tokens.js';
import { Transactions } from '../../database/transactions.js';
import { LOGGER } from '../../ops/logger.js';
import { MESSAGE_STORE, type MessageStore } from './message-store.port.js';
import { describeMongo, mongoConnectionSettings } from './mongo/mongo-connection-options.js';
import type { MongoMessageStore } from './mongo/mongo-message-store.js';
import { SqlMessageStore } from './sql/sql-message-store.js';

/** The Mongo store (and mongoose with it) is imported only when MESSAGE_STORE=mongo. */
async function createStore(
  config: AppConfig,
  dataSource: DataSource,
  transactions: Transactions,
): Promise<MessageStore> {
  switch (config.messageStore.kind) {
    case 'sql':
      return new SqlMessageStore(dataSource, transactions);
    case 'mongo': {
      const { MongoMessageStore } = await import('./mongo/mongo-message-store.js');
      return new MongoMessageStore(mongoConnectionSettings(config.messageStore.mongo));
    }
  }
}

@Injectable()
class MessageStoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * MongoDB: connect and create the indexes now. A store that is down does not stop the service
   * from starting (delivery does not need it): the failure is logged, and the persister's
   * retries connect later.
   */
  async onModuleInit(): Promise<void> {
    if (this.config.messageStore.kind !== 'mongo') return;
    const where = describeMongo(this.config.messageStore.mongo);
    try {
      // createStore made a MongoMessageStore for this configuration.
      await (this.store as MongoMessageStore).open();
      this.log.info({ store: where }, 'message store connected, indexes in place');
    } catch (error) {
      this.log.warn(
        { err: error, store: where },
        'message store unavailable at start-up; messages wait in the persist queue',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** MESSAGE_STORE: the SQL store on the relational database (default), or MongoDB/DocumentDB. */
@Module({
  imports: [DatabaseModule],
  providers: [
    { provide: MESSAGE_STORE, useFactory: createStore, inject: [APP_CONFIG, DATA_SOURCE, Transactions] },
    MessageStoreLifecycle,
  ],
  exports: [MESSAGE_STORE],
})
export class MessageStoreModule {}
