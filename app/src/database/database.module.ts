import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { DatabaseShutdown } from './database-shutdown.js';
import { DATA_SOURCE, FEATURE_TABLES } from './database.tokens.js';
import type { FeatureTables } from './feature-tables.js';
import { openDatabase } from './open-database.js';
import { Transactions } from './transactions.js';

/**
 * The relational database: provides DATA_SOURCE (connected, migrated per
 * shouldMigrateOnStart) and Transactions. Needs APP_CONFIG from the global ConfigModule and
 * FEATURE_TABLES from the global TablesModule.
 */
@Module({
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [APP_CONFIG, FEATURE_TABLES],
      useFactory: (config: AppConfig, tables: FeatureTables) => openDatabase(config, tables),
    },
    {
      provide: Transactions,
      inject: [DATA_SOURCE],
      useFactory: (dataSource: DataSource) => new Transactions(dataSource),
    },
    DatabaseShutdown,
  ],
  exports: [DATA_SOURCE, Transactions],
})
export class DatabaseModule {}
