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
 * SIGTERMed (a drain: ERROR SERVER_DRAINING with a reconnect hint, close 1012) or SIGKILLed (no
 * goodbye at all). Her outbox must get every message through exactly once, and both
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

    /** Alice on `first`, bob on `second`, in one room; each reconnects through `order`. */
    const twoUsers = async (suffix: string, aliceOrder: () => ServerProcess[], bobOrder: () => ServerProcess[]) => {
      const [first, second] = [aliceOrder()[0]!, bobOrder()[0]!];
      const alice = await sdkUser(first.httpUrl, `alice_${suffix}`, { wsUrl: route(aliceOrder) }, opened);
      const bob = await sdkUser(second.httpUrl, `bob_${suffix}`, { wsUrl: route(bobOrder) }, opened);
      const room = await alice.api.createRoom(suffix);
      await alice.api.addMember(room.id, `bob_${suffix}`);
      await alice.join(room.id);
      await bob.join(room.id);
      return { alice, bob, roomId: room.id, aliceLog: new RoomLog(alice, room.id), bobLog: new RoomLog(bob, room.id) };
    };

    const expectWholeStream = async (logs: RoomLog[], expected: string[]) => {
      for (const log of logs) await log.waitForCount(expected.length, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500)); // anything extra would show now
      for (const log of logs) {
        expect(log.bodies).toEqual(expected);
        expect(isContiguous(log.seqs)).toBe(true);
      }
    };

    it('loses nothing alice sent when the instance both are on drains (SIGTERM)', async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const { alice, roomId, aliceLog, bobLog } = await twoUsers(
        'drained',
        () => [a, b],
        () => [a, b],
      );
      const sessionBefore = alice.sessionId;
      let drained: Promise<number | null> | undefined;
      await stream(alice, roomId, 'd', 60, () => (drained = a.stop('SIGTERM')));
      expect(await drained).toBe(0);
      await expectWholeStream([aliceLog, bobLog], numbered('d', 60));
      expect(alice.pendingCount).toBe(0);
      expect(alice.sessionId).not.toBe(sessionBefore); // it really moved to b
    }, 60_000);

    // The kill may fall between a SEND's arrival and its publish: the SDK's retry (same
    // x-client-msg-id) must then be published once, which holds because the dedupe check is part
    // of the atomic publish (no claim that could outlive the instance).
    it('loses nothing alice sent when her instance is killed (SIGKILL) mid-stream', async () => {
      const b = servers[1]!;
      const c = await ServerProcess.start(env);
      servers.push(c);
      const { alice, roomId, aliceLog, bobLog } = await twoUsers(
        'killed',
        () => [b, c],
        () => [c, b],
      );
      let killed: Promise<number | null> | undefined;
      await stream(alice, roomId, 'k', 60, () => (killed = b.stop('SIGKILL')));
      expect(await killed).toBeNull();
      await expectWholeStream([aliceLog, bobLog], numbered('k', 60));
      expect(alice.pendingCount).toBe(0);
    }, 60_000);
  });
}

function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`);
}
