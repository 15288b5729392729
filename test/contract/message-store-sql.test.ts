import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../app/src/config/load-config.js';
import { createDataSource } from '../../app/src/database/data-source.factory.js';
import { runPendingMigrations } from '../../app/src/database/run-migrations.js';
import { Transactions } from '../../app/src/database/transactions.js';
import { SqlMessageStore } from '../../app/src/messages/store/sql/sql-message-store.js';
import { createScratchMysqlDatabase } from '../support/scratch-mysql.js';
import { mysqlUrl, requireServices } from '../support/services.js';
import { describeMessageStoreContract, type MessageStoreWorld } from './message-store.contract.js';

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
  return sqlWorld(createDataSource(config.database), async () => rmSync(dataDir, { recursive: true, force: true }));
});

const scratch = await createScratchMysqlDatabase(mysqlUrl());
if ('unavailable' in scratch) {
  if (requireServices()) {
    describe('MessageStore contract: SQL on MySQL/MariaDB', () => {
      it('needs a reachable server (REQUIRE_SERVICES=1)', () => {
        throw new Error(scratch.unavailable);
      });
    });
  } else {
    console.warn(
      `MessageStore contract on MySQL/MariaDB SKIPPED: ${scratch.unavailable}; set MYSQL_URL, or REQUIRE_SERVICES=1 to fail instead`,
    );
    describe.skip('MessageStore contract: SQL on MySQL/MariaDB (skipped: no server)', () => {
      it('needs a reachable server', () => undefined);
    });
  }
} else {
  describeMessageStoreContract('SQL on MySQL/MariaDB', () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: scratch.url });
    return sqlWorld(createDataSource(config.database), () => scratch.drop());
  });
}
