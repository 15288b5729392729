import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callApi, signUp } from '../support/rest-client.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { contiguous, faultEnv, FaultClients, fullHistory, storedRows, untilStored } from './support/fault-world.js';
import { OwnRedis } from './support/own-redis.js';

/**
 * Redis loses its state under two running instances (one-node ElastiCache replaced; a failover
 * that lost unreplicated writes): rooms go on counting above what the store holds, nothing
 * receipted is lost or refused by the store, history shows it all, and subscribers on either
 * instance see one gap-free sequence. With AOF (fsync always) the same restart loses nothing
 * even before the persister has caught up. While Redis is down a SEND is answered with
 * BACKPLANE_UNAVAILABLE and close 1013.
 */
async function describeRestart(label: string, appendOnly: boolean): Promise<void> {
  await describeWithMysql(`Redis restarted ${label} under two instances`, (database: ScratchDatabase) => {
    describe(`Redis restarted ${label} under two instances`, () => {
      let redis: OwnRedis;
      let a: RunningApp;
      let b: RunningApp;
      const clients = new FaultClients();

      beforeAll(async () => {
        redis = await OwnRedis.start({ appendOnly });
        a = await startTestApp(faultEnv(redis, database));
        b = await startTestApp(faultEnv(redis, database));
      });

      afterAll(async () => {
        await clients.closeAll();
        await a?.close();
        await b?.close();
        await redis?.stop();
        await database.drop();
      });

      const connect = (instance: RunningApp, token: string) => clients.connect(instance, token);
      const ready = async (instance: RunningApp) => {
        let last = '';
        await until(async () => {
          const response = await fetch(`${instance.httpUrl}/readyz`);
          last = await response.text();
          return response.status === 200;
        }, 20_000).catch((error: Error) => {
          throw new Error(`${error.message}: /readyz said ${last}`);
        });
      };

      it('loses no receipted message, reuses no sequence, and history and subscribers show one sequence', async () => {
        const alice = await signUp(a.httpUrl, `alice_${label.replace(/\W/g, '')}`);
        const bob = await signUp(a.httpUrl, `bob_${label.replace(/\W/g, '')}`);
        const room = (await callApi(a.httpUrl, 'POST', '/rooms', { kind: 'private', name: 'r' }, alice.token)).body
          .id as string;
        await callApi(
          a.httpUrl,
          'POST',
          `/rooms/${room}/members`,
          { username: `bob_${label.replace(/\W/g, '')}` },
          alice.token,
        );
        const topic = `/topic/rooms.${room}`;
        const send = `/app/rooms.${room}`;

        const bobOnB = await (await connect(b, bob.token)).subscribe(topic);
        let sender = await connect(a, alice.token);
        const receipted: string[] = [];
        const sendAll = async (from: number, to: number) => {
          for (let i = from; i <= to; i++) {
            const outcome = await sender.send(send, `m${i}`, { 'x-client-msg-id': `c${i}` });
            expect(outcome.error?.headers).toBeUndefined();
            receipted.push(`m${i}`);
          }
        };
        await sendAll(1, 30);
        // Without persistence only what the store holds survives: let the persister catch up.
        if (!appendOnly) await untilStored(database, room, 30);

        await redis.kill();
        // Redis down: the SEND in flight is answered, with a code to reconnect on.
        const started = Date.now();
        const refused = await sender.send(send, 'during outage', { 'x-client-msg-id': 'c-outage' });
        expect(refused.error?.headers).toMatchObject({
          code: 'BACKPLANE_UNAVAILABLE',
          'x-reconnect-after-ms': '2000',
        });
        expect(Date.now() - started).toBeLessThan(8_000);
        await until(() => sender.closeCodes.length > 0, 5_000);
        expect(sender.closeCodes).toEqual([1013]);

        await redis.restart();
        await Promise.all([ready(a), ready(b)]);
        sender = await connect(a, alice.token);
        // A resuming client sees what it missed exactly once (nothing was published meanwhile).
        const resumed = await sender.subscribe(topic, { 'x-since-seq': '30' });
        await sendAll(31, 60);

        const seqsOf = (messages: Array<{ headers: Record<string, string> }>) =>
          messages.map((message) => Number(message.headers['x-seq']));
        const onB = await bobOnB.waitFor(60, 15_000);
        expect(seqsOf(onB)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        const again = await resumed.waitFor(30, 15_000);
        expect(seqsOf(again)).toEqual(Array.from({ length: 30 }, (_, i) => i + 31));

        // The store holds every receipted message once, none refused as seq-taken.
        await untilStored(database, room, 60);
        const stored = await storedRows(database, room);
        expect(stored.map((row) => row.body)).toEqual(receipted);
        expect(contiguous(stored.map((row) => row.seq))).toBe(true);
        // REST history shows all of it, from both sources, on either instance.
        for (const instance of [a, b]) {
          const history = await fullHistory(instance.httpUrl, room, alice.token);
          expect(history.map((item) => item.body)).toEqual(receipted);
        }
      });
    });
  });
}

await describeRestart('empty', false);
await describeRestart('with AOF', true);
