import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@stomp/stompjs';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../app/src/config/load-config.js';
import { createDataSource } from '../../app/src/database/data-source.factory.js';
import { runPendingMigrations } from '../../app/src/database/run-migrations.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { callApi, signUp } from '../support/rest-client.js';
import { connectStomp, Inbox } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { until as pollUntil, type Condition } from '../support/until.js';
import { APP_TABLES } from '../../app/src/app-tables.js';

const SUITE = 'the service through a message store outage (MariaDB)';

/** This suite's waits are bounded at 15 s. */
const until = (condition: Condition, timeoutMs = 15_000) => pollUntil(condition, timeoutMs);

await describeWithMysql(SUITE, describeAppOutage);

/**
 * The real app on MariaDB (users, rooms and messages), connected as a user whose INSERT grant on
 * `messages` is revoked mid-way: chat goes on, /readyz stays 200 but names the outage, the backlog
 * shows on /metrics, recent history still comes from the replay log; with the grant back,
 * everything sent is stored once.
 */
function describeAppOutage(database: ScratchDatabase): void {
  describe(SUITE, () => {
    const user = `chatapp_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const hosts = ['%', 'localhost'];
    let admin: mysql.Connection;
    let server: RunningApp;
    const clients: Client[] = [];

    beforeAll(async () => {
      // Migrated by the owner; the service's user gets table privileges only, so one of them can be taken away.
      const migrator = createDataSource(
        loadConfig({ NODE_ENV: 'test', DATABASE: 'mysql', MYSQL_URL: database.url }).database,
        APP_TABLES,
      );
      await migrator.initialize();
      await runPendingMigrations(migrator);
      await migrator.destroy();
      const url = new URL(database.url);
      admin = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username) || 'root',
        password: decodeURIComponent(url.password),
        database: database.name,
      });
      for (const host of hosts) {
        await admin.query(`CREATE USER '${user}'@'${host}' IDENTIFIED BY '${password}'`);
        for (const table of ['users', 'refresh_tokens', 'rooms', 'memberships', 'messages']) {
          await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${database.name}.${table} TO '${user}'@'${host}'`);
        }
        await admin.query(`GRANT SELECT ON ${database.name}.migrations TO '${user}'@'${host}'`);
      }
      url.username = user;
      url.password = password;
      server = await startTestApp({
        JWT_SECRET: 'outage-secret-outage-secret-0123456789',
        DATABASE: 'mysql',
        MYSQL_URL: url.toString(),
        DATABASE_MIGRATE_ON_START: 'false',
        PERSISTER_RETRY_INITIAL_MS: '20',
        PERSISTER_RETRY_MAX_MS: '200',
      });
    });

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.deactivate()));
      await server?.close();
      for (const host of hosts) await admin?.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
      await admin?.end();
      await database.drop();
    });

    const setInsertGrant = async (granted: boolean) => {
      for (const host of hosts) {
        await admin.query(
          granted
            ? `GRANT INSERT ON ${database.name}.messages TO '${user}'@'${host}'`
            : `REVOKE INSERT ON ${database.name}.messages FROM '${user}'@'${host}'`,
        );
      }
    };

    const api = (method: string, path: string, token?: string, body?: unknown) =>
      callApi(server.httpUrl, method, path, body, token);

    const metric = async (name: string): Promise<number> => {
      const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
      const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
      return value === undefined ? Number.NaN : Number(value);
    };

    const storedCount = async () =>
      Number((await admin.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM messages'))[0][0]!.n);

    it('keeps chatting, stays ready and serves recent history while messages cannot be stored', async () => {
      const { token } = await signUp(server.httpUrl, 'outage_alice');
      const room = (await api('POST', '/rooms', token, { kind: 'private', name: 'outage' })).body.id as string;
      const client = await connectStomp(server.wsUrl, { Authorization: `Bearer ${token}` });
      clients.push(client);
      const inbox = new Inbox();
      await new Promise<void>((resolve) => {
        client.watchForReceipt('sub', () => resolve());
        client.subscribe(`/topic/rooms.${room}`, inbox.push, { receipt: 'sub' });
      });
      const send = (from: number, count: number) => {
        for (let i = from; i < from + count; i++)
          client.publish({
            destination: `/app/rooms.${room}`,
            body: `message ${i}`,
            headers: { 'x-client-msg-id': `c-${i}` },
          });
      };

      send(1, 5);
      await until(async () => (await storedCount()) === 5);

      await setInsertGrant(false);
      send(6, 30);
      await inbox.waitFor(35); // delivered live, store or no store
      await until(async () => (await metric('persister_failures_total')) >= 2);
      await until(async () => (await metric('persister_backlog')) === 30);

      const ready = await fetch(`${server.httpUrl}/readyz`);
      expect(ready.status).toBe(200);
      const report = (await ready.json()) as { ready: boolean; checks: Record<string, string> };
      expect(report.ready).toBe(true);
      // Advisory: still ready; the report says only 'failed' (the cause, with the driver's text, is logged).
      expect(report.checks['message-store']).toBe('failed');
      expect(JSON.stringify(report)).not.toContain('INSERT command denied');
      expect(await storedCount()).toBe(5);

      const recent = await api('GET', `/rooms/${room}/messages?limit=10`, token);
      expect(recent.status).toBe(200);
      expect(recent.body.messages.map((message: { seq: number }) => message.seq)).toEqual([
        35, 34, 33, 32, 31, 30, 29, 28, 27, 26,
      ]);

      await setInsertGrant(true);
      await until(async () => (await metric('persister_backlog')) === 0);
      expect(await storedCount()).toBe(35);
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        'SELECT seq, CAST(body AS CHAR) AS body FROM messages WHERE room_id = ? ORDER BY seq',
        [room],
      );
      expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
      expect(rows.map((row) => row.body as string)).toEqual(Array.from({ length: 35 }, (_, i) => `message ${i + 1}`));
      await until(
        async () =>
          ((await (await fetch(`${server.httpUrl}/readyz`)).json()) as { checks: Record<string, string> }).checks[
            'message-store'
          ] === 'ok',
      );
      expect(await metric('persister_written_total')).toBe(35);
    });
  });
}
