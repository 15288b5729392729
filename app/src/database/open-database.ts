import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { createDataSource, describeDatabase, loadMysqlDriver } from './data-source.factory.js';
import type { FeatureTables } from './feature-tables.js';
import { shouldMigrateOnStart } from './migrate-on-start.js';
import { runPendingMigrations } from './run-migrations.js';

const logger = new Logger('Database');

/**
 * Connects and, when the policy says so, migrates; otherwise warns about pending
 * migrations so a forgotten migrate step shows up in the first log lines rather than as
 * "no such table" on the first request.
 */
export async function openDatabase(config: AppConfig, tables: FeatureTables): Promise<DataSource> {
  const where = describeDatabase(config.database);
  const dataSource = createDataSource(config.database, tables, await loadMysqlDriver(config.database));
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new Error(`cannot open the database (${where}): ${(error as Error).message}`, { cause: error });
  }
  try {
    if (shouldMigrateOnStart(config)) {
      const names = await runPendingMigrations(dataSource);
      if (names.length > 0) logger.log(`applied migrations on ${where}: ${names.join(', ')}`);
    } else if (await dataSource.showMigrations()) {
      logger.warn(`${where} has pending migrations; run node dist/app/src/database/migrate.js before serving`);
    }
  } catch (error) {
    await dataSource.destroy();
    throw new Error(`migrating ${where} failed: ${(error as Error).message}`, { cause: error });
  }
  return dataSource;
}
