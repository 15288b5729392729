import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { LocalBackplane } from '../../app/src/backplane/local-backplane.js';
import { LocalPersistQueue } from '../../app/src/backplane/local-persist-queue.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { createDataSource } from '../../app/src/database/data-source.factory.js';
import { runPendingMigrations } from '../../app/src/database/run-migrations.js';
import { Transactions } from '../../app/src/database/transactions.js';
import { MessagePersister } from '../../app/src/messages/persister/message-persister.js';
import type { StoredMessage } from '../../app/src/messages/store/stored-message.js';
import { SqlMessageStore } from '../../app/src/messages/store/sql/sql-message-store.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { APP_TABLES } from '../../app/src/app-tables.js';

const SUITE = 'persister throughput into MariaDB';
const MESSAGES = 20_000;
const BATCH = 500;
const ROOMS = 20;
/**
 * A floor far below what a development machine does, so only a real regression fails the run;
 * the measured rates are printed. The target (10,000 messages/s) is the benchmark's: scenarios
 * persist-drain-mariadb and persist-drain-mariadb-redis (`npm run bench`, bench/README.md).
 */
const FLOOR_PER_SECOND = 2_000;

await describeWithMysql(SUITE, describeThroughput);

function describeThroughput(database: ScratchDatabase): void {
  describe(SUITE, () => {
    let dataSource: DataSource;
    let store: SqlMessageStore;

    beforeAll(async () => {
      dataSource = createDataSource(
        loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: database.url }).database,
        APP_TABLES,
      );
      await dataSource.initialize();
      await runPendingMigrations(dataSource);
      store = new SqlMessageStore(dataSource, new Transactions(dataSource));
    });

    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await database.drop();
    });

    const count = async () => Number((await dataSource.query('SELECT COUNT(*) AS n FROM messages'))[0].n);

    it(`writes ${MESSAGES} chat-sized messages through saveBatch in batches of ${BATCH}`, async () => {
      const rooms = Array.from({ length: ROOMS }, () => randomUUID());
      const messages: StoredMessage[] = Array.from({ length: MESSAGES }, (_, i) => ({
        id: `tp-${randomBytes(4).toString('hex')}-${i}`,
        roomId: rooms[i % ROOMS]!,
        seq: Math.floor(i / ROOMS) + 1,
        kind: 'message',
        targetSeq: null,
        senderId: randomUUID(),
        senderName: 'sender',
        contentType: 'text/plain;charset=utf-8',
        body: Buffer.from(`message ${i} `.padEnd(200, 'lorem ipsum ')),
        clientMsgId: randomUUID(),
        createdAt: new Date(),
        editedAt: null,
        deletedAt: null,
      }));

      const started = process.hrtime.bigint();
      for (let at = 0; at < MESSAGES; at += BATCH) await store.saveBatch(messages.slice(at, at + BATCH));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;

      const rate = MESSAGES / seconds;
      console.log(
        `saveBatch into MariaDB: ${MESSAGES} messages of 200 bytes in ${seconds.toFixed(2)} s = ${Math.round(rate)} messages/s`,
      );
      expect(await count()).toBe(MESSAGES);
      expect(rate).toBeGreaterThan(FLOOR_PER_SECOND);
    }, 120_000);

    it(`drains a backlog of ${MESSAGES} published messages through the persister`, async () => {
      const queue = new LocalPersistQueue();
      const backplane = new LocalBackplane(1_000, queue.enqueue);
      const rooms = Array.from({ length: ROOMS }, () => randomUUID());
      const body = Buffer.from('lorem ipsum '.repeat(17).slice(0, 200));
      for (let i = 0; i < MESSAGES; i++) {
        await backplane.publish({
          destination: `/topic/rooms.${rooms[i % ROOMS]}`,
          headers: [
            ['content-type', 'text/plain;charset=utf-8'],
            ['x-sender-id', 'u1'],
            ['x-sender', 'alice'],
            ['x-client-msg-id', `c-${i}`],
          ],
          body,
        });
      }
      const silent = { info: () => {}, warn: () => {}, error: () => {} };
      const persister = new MessagePersister(
        queue,
        store,
        { consumer: 'throughput', batchSize: BATCH, retryInitialMs: 50, retryMaxMs: 1_000, flushTimeoutMs: 60_000 },
        silent,
      );
      const before = await count();

      const started = process.hrtime.bigint();
      await persister.flush();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;

      const rate = MESSAGES / seconds;
      console.log(
        `persister (in-process queue -> MariaDB): ${MESSAGES} messages in ${seconds.toFixed(2)} s = ${Math.round(rate)} messages/s`,
      );
      expect(await queue.backlog()).toBe(0);
      expect((await count()) - before).toBe(MESSAGES);
      expect(rate).toBeGreaterThan(FLOOR_PER_SECOND);
    }, 120_000);
  });
}
