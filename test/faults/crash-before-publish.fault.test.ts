import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mysql from 'mysql2/promise';
import { callApi, signUp } from '../support/rest-client.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { ServerProcess } from '../support/server-process.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { faultEnv, FaultClient, storedRows, untilStored } from './support/fault-world.js';
import { OwnRedis } from './support/own-redis.js';

/**
 * An instance is killed (SIGKILL) while a SEND with x-client-msg-id is on its way to being
 * published (held in the store read that numbers a room's first message). The client's retry on
 * the other instance must be published, not acknowledged and dropped because of a claim the dead
 * instance left; a second retry gets the original's RECEIPT (same x-seq) and publishes nothing.
 */
await describeWithMysql('An instance killed between dedupe and publish', (database: ScratchDatabase) => {
  describe('An instance killed between dedupe and publish', () => {
    let redis: OwnRedis;
    let doomed: ServerProcess;
    let survivor: RunningApp;
    const clients: FaultClient[] = [];

    beforeAll(async () => {
      redis = await OwnRedis.start();
      // The survivor first: it migrates the scratch database before the child starts.
      survivor = await startTestApp(faultEnv(redis, database));
      doomed = await ServerProcess.start({
        NODE_ENV: 'development',
        ...faultEnv(redis, database, { MESSAGE_STORE_SEND_TIMEOUT_MS: '60000' }),
      });
    });

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.close().catch(() => {})));
      await doomed?.stop('SIGKILL');
      await survivor?.close();
      await redis?.stop();
      await database.drop();
    });

    it('publishes the retry of a message the killed instance never published, once', async () => {
      const carol = await signUp(survivor.httpUrl, 'crash_carol');
      const room = (await callApi(survivor.httpUrl, 'POST', '/rooms', { kind: 'private', name: 'c' }, carol.token)).body
        .id as string;
      const watcher = await FaultClient.connect(survivor.wsUrl, carol.token);
      clients.push(watcher);
      const inbox = await watcher.subscribe(`/topic/rooms.${room}`);

      const locker = await mysql.createConnection(database.url);
      await locker.query('LOCK TABLES messages WRITE');
      const victim = await FaultClient.connect(doomed.wsUrl, carol.token);
      clients.push(victim);
      void victim.send(`/app/rooms.${room}`, 'hello', { 'x-client-msg-id': 'once' }, 60_000).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 500)); // in the store read, past any dedupe check
      await doomed.stop('SIGKILL');
      await locker.query('UNLOCK TABLES');
      await locker.end();

      const retrying = await FaultClient.connect(survivor.wsUrl, carol.token);
      clients.push(retrying);
      const first = await retrying.send(`/app/rooms.${room}`, 'hello', { 'x-client-msg-id': 'once' });
      expect(first.receipt?.headers['x-seq']).toBe('1');
      expect(first.receipt?.headers['x-duplicate']).toBeUndefined();
      const second = await retrying.send(`/app/rooms.${room}`, 'hello', { 'x-client-msg-id': 'once' });
      expect(second.receipt?.headers).toMatchObject({ 'x-seq': '1', 'x-duplicate': 'true' });

      const delivered = await inbox.waitFor(1, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(delivered.map((message) => [message.headers['x-seq'], message.body])).toEqual([['1', 'hello']]);
      await untilStored(database, room, 1);
      expect(await storedRows(database, room)).toEqual([{ seq: 1, body: 'hello' }]);
    });
  });
});
