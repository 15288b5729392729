import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { PublishedMessage } from '../../app/src/backplane/backplane.port.js';
import { LocalBackplane } from '../../app/src/backplane/local-backplane.js';
import { LocalPersistQueue } from '../../app/src/backplane/local-persist-queue.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { createDataSource } from '../../app/src/database/data-source.factory.js';
import { runPendingMigrations } from '../../app/src/database/run-migrations.js';
import { Transactions } from '../../app/src/database/transactions.js';
import { MessagePersister } from '../../app/src/messages/persister/message-persister.js';
import type { Log } from '../../app/src/ops/log.port.js';
import { SqlMessageStore } from '../../app/src/messages/store/sql/sql-message-store.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { until as pollUntil, type Condition } from '../support/until.js';
import { APP_TABLES } from '../../app/src/app-tables.js';

const SUITE = 'persister through a MariaDB outage';

/** This suite's waits are bounded at 15 s. */
const until = (condition: Condition, timeoutMs = 15_000) => pollUntil(condition, timeoutMs);

/** A server connection as root (the scratch database's owner) for grants and checks. */
async function adminConnection(serverUrl: string, database: string): Promise<mysql.Connection> {
  const url = new URL(serverUrl);
  return mysql.createConnection({
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
  });
}

/**
 * A real store outage: the persister writes to MariaDB as a user of its own, whose INSERT grant
 * is revoked while messages keep being published. Publishing must go on, the backlog must grow
 * and nothing may be acknowledged; once the grant is back, every message must be stored exactly
 * once, in sequence order, with no gap.
 */
await describeWithMysql(SUITE, describeOutage);

function describeOutage(database: ScratchDatabase): void {
  describe(SUITE, () => {
    const user = `persist_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    let admin: mysql.Connection;
    let dataSource: DataSource;
    let store: SqlMessageStore;

    beforeAll(async () => {
      const migrator = createDataSource(
        loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: database.url }).database,
        APP_TABLES,
      );
      await migrator.initialize();
      await runPendingMigrations(migrator);
      await migrator.destroy();

      admin = await adminConnection(database.url, database.name);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await admin.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
      for (const host of ['%', 'localhost'])
        await admin.query(`GRANT SELECT, INSERT, UPDATE ON ${database.name}.messages TO '${user}'@'${host}'`);

      const url = new URL(database.url);
      url.username = user;
      url.password = password;
      dataSource = createDataSource(
        loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: url.toString() }).database,
        APP_TABLES,
      );
      await dataSource.initialize();
      store = new SqlMessageStore(dataSource, new Transactions(dataSource));
    });

    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      for (const host of ['%', 'localhost']) await admin?.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
      await admin?.end();
      await database.drop();
    });

    const setInsertGrant = async (granted: boolean) => {
      for (const host of ['%', 'localhost']) {
        await admin.query(
          granted
            ? `GRANT INSERT ON ${database.name}.messages TO '${user}'@'${host}'`
            : `REVOKE INSERT ON ${database.name}.messages FROM '${user}'@'${host}'`,
        );
      }
    };

    it('keeps publishing while the store refuses writes, then stores every message exactly once, in order', async () => {
      const queue = new LocalPersistQueue();
      const backplane = new LocalBackplane(1_000, queue.enqueue);
      const lines: Array<{ level: string; message: string }> = [];
      const log: Pick<Log, 'info' | 'warn' | 'error'> = {
        info: (_fields, message) => lines.push({ level: 'info', message }),
        warn: (_fields, message) => lines.push({ level: 'warn', message }),
        error: (_fields, message) => lines.push({ level: 'error', message }),
      };
      const persister = new MessagePersister(
        queue,
        store,
        {
          consumer: 'outage-test',
          batchSize: 100,
          retryInitialMs: 20,
          retryMaxMs: 200,
          flushTimeoutMs: 5_000,
          blockMs: 50,
        },
        log,
      );
      const rooms = [randomUUID(), randomUUID(), randomUUID()];
      const published: PublishedMessage[] = [];
      const publish = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const roomId = rooms[i % rooms.length]!;
          published.push(
            await backplane.publish({
              destination: `/topic/rooms.${roomId}`,
              headers: [
                ['content-type', 'text/plain'],
                ['x-sender-id', 'u1'],
                ['x-sender', 'alice'],
                ['x-client-msg-id', `c-${published.length}`],
              ],
              body: Buffer.from(`message ${published.length}`),
            }),
          );
        }
      };
      persister.start();
      try {
        await publish(60);
        await until(async () => (await queue.backlog()) === 0);

        await setInsertGrant(false);
        const started = Date.now();
        await publish(300);
        const publishMs = Date.now() - started;
        await until(() => (persister.storeOutage?.failures ?? 0) >= 3);

        expect(publishMs).toBeLessThan(2_000); // publishing never waited on the store
        expect(await queue.backlog()).toBe(300);
        expect(persister.storeOutage?.lastError).toMatch(/INSERT command denied/);
        const [duringOutage] = await admin.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM messages');
        expect(Number(duringOutage[0]!.n)).toBe(60);

        await publish(40); // more arrive while it is still down
        await setInsertGrant(true);
        await until(async () => (await queue.backlog()) === 0);
      } finally {
        await persister.stop();
      }

      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        'SELECT room_id, seq, id, client_msg_id FROM messages ORDER BY room_id, seq',
      );
      expect(rows).toHaveLength(400);
      expect(new Set(rows.map((row) => row.id as string))).toEqual(new Set(published.map((message) => message.id)));
      for (const roomId of rooms) {
        const seqs = rows.filter((row) => row.room_id === roomId).map((row) => Number(row.seq));
        const expected = published
          .filter((message) => message.destination.endsWith(roomId))
          .map((message) => message.seq);
        expect(seqs).toEqual(expected);
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      }
      expect(persister.storeOutage).toBeUndefined();
      expect(lines.filter((line) => /message store unavailable/.test(line.message))).toHaveLength(1);
      expect(lines.filter((line) => /message store available again/.test(line.message))).toHaveLength(1);
    });

    it('fails a batch MariaDB cannot hold as written instead of storing it truncated', async () => {
      const roomId = randomUUID();
      const tooLong = {
        id: `m-${randomUUID()}`,
        roomId,
        seq: 1,
        kind: 'message' as const,
        targetSeq: null,
        senderId: 'x'.repeat(101), // the column holds 100
        senderName: 'alice',
        contentType: 'text/plain',
        body: Buffer.from('hi'),
        clientMsgId: null,
        createdAt: new Date(),
        editedAt: null,
        deletedAt: null,
      };
      await expect(store.saveBatch([tooLong])).rejects.toThrow(/Data too long/);
      expect(await store.get(roomId, 1)).toBeNull();
    });
  });
}
