import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../app/src/config/load-config.js';
import { createDataSource } from '../../app/src/database/data-source.factory.js';
import { describeWithMysql } from '../support/scratch-mysql.js';
import { describeStore } from './relational-store.suite.js';
import { APP_TABLES } from '../../app/src/app-tables.js';

describeStore('SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-store-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
  return {
    dataSource: createDataSource(config.database, APP_TABLES),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});

await describeWithMysql('relational store on MySQL/MariaDB', (scratch) =>
  describeStore('MySQL/MariaDB', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: scratch.url });
    return { dataSource: createDataSource(config.database, APP_TABLES), drop: () => scratch.drop() };
  }),
);
