import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@stomp/stompjs';
import { callApi, signUp } from '../support/rest-client.js';
import { startOwnRedisServer, type OwnRedisServer } from '../support/own-redis-server.js';
import { describeWithMysql, type ScratchDatabase } from '../support/scratch-mysql.js';
import { connectWithToken, sessionEnd, subscribedWithReceipt } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Fault: Redis goes away for a few seconds exactly while a member is removed or a user logs out
 * through instance A. The revocation must still reach instance B: the removed member receives
 * nothing more from the private room, the logged-out session is closed. Two real instances, the
 * suite's own redis-server (killed and restarted empty), a scratch MariaDB database.
 */
const SUITE = 'Fault: Redis blip during member removal and logout';
await describeWithMysql(SUITE, describeRevocationBlip);

const BLIP_MS = 2_000;

function describeRevocationBlip(database: ScratchDatabase): void {
  describe(SUITE, () => {
    let redis: OwnRedisServer;
    let a: RunningApp;
    let b: RunningApp;
    const clients: Client[] = [];

    beforeAll(async () => {
      redis = await startOwnRedisServer();
      const env = {
        BACKPLANE: 'redis',
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: 'blip:',
        REDIS_COMMAND_TIMEOUT_MS: '500',
        DATABASE: 'mysql',
        MYSQL_URL: database.url,
        JWT_SECRET: 'revocation-blip-secret-revocation-blip-secret',
        SHUTDOWN_DRAIN_MS: '0',
        // Longer than the test: what applies the revocation on B is its re-check when Redis comes
        // back, before it delivers again (the poll's own part is covered by the unit tests).
        REVOCATION_POLL_INTERVAL_MS: '60000',
      };
      a = await startTestApp(env);
      b = await startTestApp(env);
    });

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.deactivate()));
      await Promise.all([a?.close(), b?.close()]);
      await redis?.dispose();
      await database.drop();
    });

    const ended = sessionEnd;
    const subscribed = subscribedWithReceipt;
    /** Publishes with a receipt, retrying while the backplane is still coming back. */
    const sendUntilReceipted = async (wsUrl: string, token: string, destination: string, body: string) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          const sender = await connectWithToken(wsUrl, token, clients);
          await new Promise<void>((resolve, reject) => {
            const receipt = `send-${Math.random()}`;
            sender.watchForReceipt(receipt, () => resolve());
            sender.onStompError = (frame) => reject(new Error(frame.headers['code']));
            sender.onWebSocketClose = () => reject(new Error('closed'));
            sender.publish({ destination, body, headers: { receipt } });
          });
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
    };
    const within = <T>(work: Promise<T>, ms: number, what: string) =>
      Promise.race([
        work,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
      ]);

    it('a member removed on A while Redis is down receives nothing more from the private room on B', async () => {
      const owner = await signUp(a.httpUrl, 'blip_owner');
      const removed = await signUp(a.httpUrl, 'blip_removed');
      const witness = await signUp(a.httpUrl, 'blip_witness');
      const room = (await callApi(a.httpUrl, 'POST', '/rooms', { kind: 'private', name: 'blip' }, owner.token)).body.id;
      for (const username of ['blip_removed', 'blip_witness'])
        await callApi(a.httpUrl, 'POST', `/rooms/${room}/members`, { username }, owner.token);
      const topic = `/topic/rooms.${room}`;
      const removedClient = await connectWithToken(b.wsUrl, removed.token, clients);
      const removedInbox = await subscribed(removedClient, topic);
      const removedEnded = ended(removedClient);
      const witnessInbox = await subscribed(await connectWithToken(b.wsUrl, witness.token, clients), topic);
      // Two, not one: Redis restarts empty and the room counts from 1 again, which B's ordering
      // gate takes for a reset only after a higher seq (sequences after Redis loss are another suite's).
      await sendUntilReceipted(a.wsUrl, owner.token, `/app/rooms.${room}`, 'before 1');
      await sendUntilReceipted(a.wsUrl, owner.token, `/app/rooms.${room}`, 'before 2');
      await removedInbox.waitFor(2);

      await redis.stop();
      const reply = await callApi(
        a.httpUrl,
        'DELETE',
        `/rooms/${room}/members/${removed.userId}`,
        undefined,
        owner.token,
      );
      // Success only when the revocation cannot be lost; otherwise 503 and nothing changed.
      expect([204, 503]).toContain(reply.status);
      if (reply.status === 503) expect(reply.body.error.code).toBe('REVOCATION_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, BLIP_MS));
      await redis.start();

      // Until the witness on B sees traffic again (B's re-subscription may miss the first ones).
      const deadline = Date.now() + 20_000;
      for (let n = 1; witnessInbox.messages.length < 3; n++) {
        if (Date.now() > deadline) throw new Error('the witness on B never received a message after the blip');
        await sendUntilReceipted(a.wsUrl, owner.token, `/app/rooms.${room}`, `after ${n}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(removedInbox.messages.map((message) => message.body)).toEqual(['before 1', 'before 2']);
      expect((await within(removedEnded, 10_000, 'removed member session end'))?.headers['code']).toBe(
        'AUTH_FORBIDDEN',
      );
    });

    it('a session on B of a user who logs out on A while Redis is down is closed', async () => {
      const user = await signUp(a.httpUrl, 'blip_leaver');
      const login = await callApi(a.httpUrl, 'POST', '/auth/login', {
        username: 'blip_leaver',
        password: 'correct horse battery',
      });
      const session = await connectWithToken(b.wsUrl, user.token, clients);
      const closed = ended(session);

      await redis.stop();
      const reply = await callApi(
        a.httpUrl,
        'POST',
        '/auth/logout',
        { refreshToken: login.body.refreshToken },
        user.token,
      );
      expect(reply.status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, BLIP_MS));
      await redis.start();

      expect((await within(closed, 10_000, 'logged-out session close'))?.headers['code']).toBe('AUTH_REVOKED');
    });
  });
}
