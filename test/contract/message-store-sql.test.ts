import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../app/src/config/load-config.js';
import { createDataSource } from '../../app/src/database/data-source.factory.js';
import { runPendingMigrations } from '../../app/src/database/run-migrations.js';
import { Transactions } from '../../app/src/database/transactions.js';
import { SqlMessageStore } from '../../app/src/messages/store/sql/sql-message-store.js';
import { describeWithMysql } from '../support/scratch-mysql.js';
import { describeMessageStoreContract, type MessageStoreWorld } from './message-store.contract.js';
import { APP_TABLES } from '../../app/src/app-tables.js';

async function sqlWorld(dataSource: DataSource, drop: () => Promise<void>): Promise<MessageStoreWorld> {
  await dataSource.initialize();
  await runPendingMigrations(dataSource);
  return {
    store: new SqlMessageStore(dataSource, new Transactions(dataSource)),
    close: async () => {
      await dataSource.destroy();
      await drop();
    },
  };
}

describeMessageStoreContract('SQL on SQLite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-messages-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
  return sqlWorld(createDataSource(config.database, APP_TABLES), async () =>
    rmSync(dataDir, { recursive: true, force: true }),
  );
});

await describeWithMysql('MessageStore contract: SQL on MySQL/MariaDB', (scratch) =>
  describeMessageStoreContract('SQL on MySQL/MariaDB', () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: scratch.url });
    return sqlWorld(createDataSource(config.database, APP_TABLES), () => scratch.drop());
  }),
);
