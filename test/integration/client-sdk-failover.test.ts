import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatClient } from '../../client/src/chat-client.js';
import { isContiguous, RoomLog, sdkUser } from '../support/chat-sdk.js';
import { deleteRedisKeys, randomKeyPrefix } from '../support/redis.js';
import { describeWithRedisAndMysql, sharedServicesEnv } from '../support/redis-and-mysql.js';
import type { ScratchDatabase } from '../support/scratch-mysql.js';
import { COMPILED_MAIN, ServerProcess } from '../support/server-process.js';

/**
 * The SDK under an instance that dies or drains: two compiled server processes on one Redis and
 * one MariaDB, as in production. Alice sends a steady stream through instance X while X is
 * SIGKILLed (no goodbye at all) and, later, SIGTERMed (a drain: ERROR SERVER_DRAINING with a
 * reconnect hint, close 1012). Her outbox must get every message through exactly once, and both
 * users must see the whole stream once, in order.
 */
const SUITE = 'client SDK across instance failures';
await describeWithRedisAndMysql(SUITE, describeFailover);

function describeFailover(database: ScratchDatabase): void {
  describe(SUITE, () => {
    const keyPrefix = randomKeyPrefix();
    const env = {
      ...sharedServicesEnv(keyPrefix, database, 'sdk-failover-secret-sdk-failover-secret-0001'),
      NODE_ENV: 'development',
      SHUTDOWN_DRAIN_MS: '1500',
      STOMP_USER_SEND_RATE_PER_SECOND: '100000',
      STOMP_USER_SEND_BURST: '100000',
      DATA_DIR: `${process.env['TMPDIR'] ?? '/tmp'}/sdk-failover-${process.pid}`,
    };
    const servers: ServerProcess[] = [];
    const opened: ChatClient[] = [];

    beforeAll(async () => {
      expect(existsSync(COMPILED_MAIN)).toBe(true);
      // One after the other: the first one runs the migrations.
      servers.push(await ServerProcess.start(env));
      servers.push(await ServerProcess.start(env));
    });

    afterAll(async () => {
      await Promise.all(opened.map((chat) => chat.close()));
      await Promise.all(servers.map((server) => server.stop('SIGKILL')));
      await deleteRedisKeys(keyPrefix);
      await database.drop();
    });

    /** Like a load balancer: the first instance of `order` that is still up. */
    const route = (order: () => ServerProcess[]) => () =>
      (order().find((server) => server.running) ?? order()[0]!).wsUrl;

    /** Sends `count` messages a few ms apart and runs `midway` after the first third. */
    const stream = async (chat: ChatClient, roomId: string, prefix: string, count: number, midway: () => void) => {
      const accepted: Array<Promise<void>> = [];
      for (let n = 1; n <= count; n++) {
        accepted.push(chat.send(roomId, `${prefix} ${n}`));
        if (n === Math.floor(count / 3)) midway();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await Promise.all(accepted);
    };

    it('loses nothing alice sent when her instance is killed, then drained', async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      let aliceOrder = [a, b];
      let bobOrder = [b, a];
      const alice = await sdkUser(a.httpUrl, 'alice_failover', { wsUrl: route(() => aliceOrder) }, opened);
      const bob = await sdkUser(b.httpUrl, 'bob_failover', { wsUrl: route(() => bobOrder) }, opened);
      const room = await alice.api.createRoom('failover');
      await alice.api.addMember(room.id, 'bob_failover');
      await alice.join(room.id);
      await bob.join(room.id);
      const aliceLog = new RoomLog(alice, room.id);
      const bobLog = new RoomLog(bob, room.id);
      const aliceSessions = new Set([alice.sessionId]);
      alice.on('state', (event) => event.state === 'online' && aliceSessions.add(alice.sessionId));

      // Killed: alice's instance vanishes mid-stream; she carries on through b.
      let killed: Promise<number | null> | undefined;
      await stream(alice, room.id, 'k', 60, () => (killed = a.stop('SIGKILL')));
      expect(await killed).toBeNull();
      await bobLog.waitForCount(60).catch(async (error) => {
        const history = await bob.api.history(room.id, { limit: 200 });
        console.log(
          JSON.stringify(bobLog.messages.map((m) => [m.seq, m.body, m.source])),
          JSON.stringify(history.messages.map((m) => [m.seq, m.body])),
        );
        throw error;
      });

      // Drained: a fresh instance c comes up, then b (where both are now) drains.
      const c = await ServerProcess.start(env);
      servers.push(c);
      aliceOrder = [b, c];
      bobOrder = [b, c];
      let drained: Promise<number | null> | undefined;
      await stream(alice, room.id, 'd', 60, () => (drained = b.stop('SIGTERM')));
      expect(await drained).toBe(0);
      await bobLog.waitForCount(120, 20_000);
      await aliceLog.waitForCount(120, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500)); // anything extra would show now

      const expected = [...numbered('k', 60), ...numbered('d', 60)];
      expect(bobLog.bodies).toEqual(expected);
      expect(aliceLog.bodies).toEqual(expected);
      expect(isContiguous(bobLog.seqs)).toBe(true);
      expect(alice.pendingCount).toBe(0);
      expect(aliceSessions.size).toBeGreaterThanOrEqual(3); // a, then b, then c
    }, 90_000);
  });
}

function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`);
}
