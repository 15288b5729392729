import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mysql from 'mysql2/promise';
import { callApi, signUp } from '../support/rest-client.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { faultEnv, FaultClient } from './support/fault-world.js';
import { OwnRedis } from './support/own-redis.js';

const STORE_TIMEOUT_MS = 500;
const SEND_TIMEOUT_MS = 1_500;

/**
 * The database stops answering (tables locked by another connection: every query on them waits)
 * while clients send. A SEND that needs it is answered with an ERROR carrying a stable code
 * within its configured bound, and other sessions' SENDs that do not need it go through meanwhile.
 */
await describeWithMysql('A hanging store on the send path', (database: ScratchDatabase) => {
  describe('A hanging store on the send path', () => {
    let redis: OwnRedis;
    let app: RunningApp;
    const clients: FaultClient[] = [];
    let locker: mysql.Connection | undefined;

    beforeAll(async () => {
      redis = await OwnRedis.start();
      app = await startTestApp(
        faultEnv(redis, database, {
          MESSAGE_STORE_SEND_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
          STOMP_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
        }),
      );
    });

    afterAll(async () => {
      await locker?.end();
      await Promise.all(clients.map((client) => client.close()));
      await app?.close();
      await redis?.stop();
      await database.drop();
    });

    const connect = async (token: string) => {
      const client = await FaultClient.connect(app.wsUrl, token);
      clients.push(client);
      return client;
    };
    const createRoom = async (token: string, name: string) =>
      (await callApi(app.httpUrl, 'POST', '/rooms', { kind: 'private', name }, token)).body.id as string;

    it('answers within the bound with a stable code, and keeps other sessions going', async () => {
      const alice = await signUp(app.httpUrl, 'hang_alice');
      const busy = await createRoom(alice.token, 'busy');
      const fresh = await createRoom(alice.token, 'fresh');
      const other = await connect(alice.token);
      expect((await other.send(`/app/rooms.${busy}`, 'before')).receipt).toBeDefined();

      locker = await mysql.createConnection(database.url);
      await locker.query('LOCK TABLES messages WRITE');

      // The fresh room's first message needs the store (its sequence floor): it hangs.
      const stuck = await connect(alice.token);
      const started = Date.now();
      const [refused, meanwhile] = await Promise.all([
        stuck.send(`/app/rooms.${fresh}`, 'first', { 'x-client-msg-id': 'f1' }),
        other.send(`/app/rooms.${busy}`, 'while the store hangs'),
      ]);
      expect(refused.error?.headers).toMatchObject({ code: 'MESSAGE_STORE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(STORE_TIMEOUT_MS + 3_000);
      await until(() => stuck.closeCodes.length > 0, 5_000);
      expect(stuck.closeCodes).toEqual([1013]);
      // Another session's SEND to a room whose counter is held never waited on the store.
      expect(meanwhile.receipt?.headers['x-seq']).toBe('2');

      await locker.query('UNLOCK TABLES');
      const retry = await connect(alice.token);
      const accepted = await retry.send(`/app/rooms.${fresh}`, 'first', { 'x-client-msg-id': 'f1' });
      expect(accepted.receipt?.headers['x-seq']).toBe('1');
    });

    it('bounds a SEND whose authorization query hangs (SEND_TIMEOUT), and the session is told to retry', async () => {
      const bob = await signUp(app.httpUrl, 'hang_bob');
      const room = await createRoom(bob.token, 'locked-memberships');
      const client = await connect(bob.token);
      await locker!.query('LOCK TABLES memberships WRITE, rooms WRITE, users WRITE');
      try {
        const started = Date.now();
        const outcome = await client.send(`/app/rooms.${room}`, 'needs the database');
        const elapsed = Date.now() - started;
        expect(outcome.error?.headers).toMatchObject({ code: 'SEND_TIMEOUT', 'x-reconnect-after-ms': '2000' });
        expect(elapsed).toBeGreaterThanOrEqual(SEND_TIMEOUT_MS - 100);
        expect(elapsed).toBeLessThan(SEND_TIMEOUT_MS + 3_000);
      } finally {
        await locker!.query('UNLOCK TABLES');
      }
    });
  });
});
