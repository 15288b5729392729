import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startOwnRedisCluster, type OwnRedisCluster } from '../support/own-redis-cluster.js';
import { callApi, signUp } from '../support/rest-client.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { contiguous, faultEnv, FaultClients, fullHistory, storedRows, untilStored } from './support/fault-world.js';

const MESSAGES = 120;
const FAILOVER_AFTER = 40;
/**
 * When the failover is still under way after MESSAGES (a loaded machine: the sends outran it),
 * the client keeps sending, one message per EXTRA_SEND_GAP_MS, up to this many more, so the
 * failover still lands mid-stream.
 */
const MAX_EXTRA_MESSAGES = 100;
const EXTRA_SEND_GAP_MS = 50;

/**
 * A planned failover on a Redis Cluster (`CLUSTER FAILOVER` on every replica, so whichever shard
 * holds the room's partition changes primary) while a client sends: every receipted message is
 * stored once, in one gap-free sequence, and history on both instances shows it all. A SEND the
 * failover refused is resent with its x-client-msg-id, as the SDK does.
 */
await describeWithMysql('Redis Cluster failover under two instances', (database: ScratchDatabase) => {
  describe('Redis Cluster failover under two instances', () => {
    let cluster: OwnRedisCluster;
    let a: RunningApp;
    let b: RunningApp;
    const clients = new FaultClients();

    beforeAll(async () => {
      cluster = await startOwnRedisCluster();
      const env = faultEnv({ url: `redis://${cluster.nodes.split(',')[0]!}` }, database, {
        REDIS_CLUSTER_NODES: cluster.nodes,
        // Receipts wait for the room's shard's replica, as in prod.
        RECEIPT_WAIT_REPLICAS: '1',
        RECEIPT_WAIT_TIMEOUT_MS: '500',
      });
      [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
    });

    afterAll(async () => {
      await clients.closeAll();
      await a?.close();
      await b?.close();
      await cluster?.dispose();
      await database.drop();
    });

    const connect = (instance: RunningApp, token: string) => clients.connect(instance, token);

    /** Every replica takes over its primary's slots; resolves once each says it is a primary. */
    const failOverEveryShard = async () => {
      const replicas: number[] = [];
      for (const port of cluster.ports) {
        const role = await cluster.onNode(port, (node) => node.role());
        if (role[0] === 'slave') replicas.push(port);
      }
      expect(replicas).toHaveLength(3);
      // CLUSTER FAILOVER answers at once; the replica takes over once it has caught up. Redis
      // aborts a manual failover that does not finish within its own 5 s limit (seen when the
      // whole suite loads the machine), so an operator — and this test — asks again.
      const isPrimary = async (port: number) => (await cluster.onNode(port, (node) => node.role()))[0] === 'master';
      for (let attempt = 1; ; attempt++) {
        const pending: number[] = [];
        for (const port of replicas) if (!(await isPrimary(port))) pending.push(port);
        if (pending.length === 0) break;
        if (attempt > 3) throw new Error(`replicas ${pending.join(', ')} did not take over after 3 CLUSTER FAILOVERs`);
        await Promise.all(pending.map((port) => cluster.onNode(port, (node) => node.cluster('FAILOVER'))));
        await until(async () => (await Promise.all(pending.map(isPrimary))).every(Boolean), 10_000).catch(() => {});
      }
      return replicas;
    };

    it('loses no receipted message and reuses no sequence', async () => {
      const alice = await signUp(a.httpUrl, 'alice_failover');
      await signUp(a.httpUrl, 'bob_failover');
      const room = (await callApi(a.httpUrl, 'POST', '/rooms', { kind: 'private', name: 'r' }, alice.token)).body
        .id as string;
      await callApi(a.httpUrl, 'POST', `/rooms/${room}/members`, { username: 'bob_failover' }, alice.token);
      const send = `/app/rooms.${room}`;

      let sender = await connect(a, alice.token);
      const receipted: string[] = [];
      let resent = 0;
      let failover: Promise<number[]> | undefined;
      let failedOverAt = Number.POSITIVE_INFINITY;
      for (
        let i = 1;
        i <= MESSAGES || (failedOverAt === Number.POSITIVE_INFINITY && i <= MESSAGES + MAX_EXTRA_MESSAGES);
        i++
      ) {
        if (i > MESSAGES) await new Promise((resolve) => setTimeout(resolve, EXTRA_SEND_GAP_MS));
        if (i === FAILOVER_AFTER)
          failover = failOverEveryShard().then((promoted) => {
            failedOverAt = receipted.length;
            return promoted;
          });
        for (let attempt = 0; ; attempt++) {
          if (sender.closeCodes.length > 0) sender = await connect(a, alice.token);
          const outcome = await sender.send(send, `m${i}`, { 'x-client-msg-id': `c${i}` });
          if (outcome.error === undefined) break;
          expect(['BACKPLANE_UNAVAILABLE', 'BACKPLANE_UNREPLICATED']).toContain(outcome.error.headers.code);
          expect(attempt).toBeLessThan(20);
          resent++;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        receipted.push(`m${i}`);
      }
      // The failover really happened (until() rejects otherwise): the former replicas are primaries now.
      expect(await failover!).toHaveLength(3);
      expect(failedOverAt).toBeLessThan(receipted.length); // mid-stream: sends went on after it

      await untilStored(database, room, receipted.length);
      const stored = await storedRows(database, room);
      expect(stored.map((row) => row.body)).toEqual(receipted);
      expect(contiguous(stored.map((row) => row.seq))).toBe(true);
      for (const instance of [a, b]) {
        const history = await fullHistory(instance.httpUrl, room, alice.token);
        expect(history.map((item) => item.body)).toEqual(receipted);
      }
      console.info(`cluster failover: ${receipted.length} receipted, ${resent} SENDs resent after a refusal`);
    });
  });
});
