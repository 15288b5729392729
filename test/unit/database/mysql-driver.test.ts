import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver.js';
import { loadConfig } from '../../../app/src/config/load-config.js';
import { createDataSource, loadMysqlDriver } from '../../../app/src/database/data-source.factory.js';
import { APP_TABLES } from '../../../app/src/app-tables.js';

const mysqlConfig = loadConfig({ NODE_ENV: 'development', DATABASE: 'mysql' }).database;

describe('loadMysqlDriver', () => {
  it('imports nothing for SQLite', async () => {
    expect(await loadMysqlDriver(loadConfig({ NODE_ENV: 'development' }).database)).toBeUndefined();
  });

  it('gives mysql2 itself for MySQL: the module TypeORM would have required', async () => {
    const driver = await loadMysqlDriver(mysqlConfig);
    expect(driver).toBe(createRequire(import.meta.url)('mysql2'));
  });

  it('is the driver the MySQL data source uses (not connected here)', async () => {
    const driver = { createPool: () => undefined };
    const dataSource = createDataSource(mysqlConfig, APP_TABLES, driver);
    expect((dataSource.driver as MysqlDriver).mysql).toBe(driver);
  });
});
