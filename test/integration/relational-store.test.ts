import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { loadConfig } from '../../app/src/config/load-config.js';
import { createDataSource } from '../../app/src/database/data-source.factory.js';
import { createScratchMysqlDatabase } from '../support/scratch-mysql.js';
import { mysqlUrl, requireServices } from '../support/services.js';
import { describeStore } from './relational-store.suite.js';

describeStore('SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-store-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
  return {
    dataSource: createDataSource(config.database),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});

const scratch = await createScratchMysqlDatabase(mysqlUrl());
if ('unavailable' in scratch) {
  if (requireServices()) {
    describe('relational store on MySQL/MariaDB', () => {
      it('needs a reachable server (REQUIRE_SERVICES=1)', () => {
        throw new Error(scratch.unavailable);
      });
    });
  } else {
    console.warn(
      `relational store on MySQL/MariaDB SKIPPED: ${scratch.unavailable}; set MYSQL_URL, or REQUIRE_SERVICES=1 to fail instead`,
    );
    describe.skip('relational store on MySQL/MariaDB', () => {
      it('needs a reachable server', () => undefined);
    });
  }
} else {
  describeStore('MySQL/MariaDB', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: scratch.url });
    return { dataSource: createDataSource(config.database), drop: () => scratch.drop() };
  });
}
