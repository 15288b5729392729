import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/load-config.js';
import { createDataSource, describeDatabase } from './data-source.factory.js';
import { runPendingMigrations } from './run-migrations.js';

/**
 * One-off migration task, run once per deploy before the new tasks start:
 *   node dist/app/src/database/migrate.js
 * Exits 0 when the schema is current (whether or not anything was applied), 1 with the
 * reason on stderr otherwise.
 */
const logger = new Logger('migrate');

async function main(): Promise<void> {
  const config = loadConfig();
  const where = describeDatabase(config.database);
  const dataSource = createDataSource(config.database);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new Error(`cannot connect to ${where}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const names = await runPendingMigrations(dataSource);
    logger.log(names.length === 0 ? `${where} is up to date` : `applied to ${where}: ${names.join(', ')}`);
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    logger.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
