import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame } from '@stomp/stompjs';
import { Redis } from 'ioredis';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  redisUrl,
} from '../support/redis.js';
import { connectStomp, subscribedWithReceipt } from '../support/stomp-client.js';
import { startTestApp, whenReady, type RunningApp } from '../support/test-app.js';

/**
 * One STOMP session's SENDs on the Redis backplane, written without waiting for RECEIPTs, so the
 * server keeps many in flight (send-pipeline.ts, the publish script's order key): RECEIPTs and
 * deliveries keep frame order with increasing x-seq, also when the burst's first SEND finds the
 * topic's counter gone (Redis lost it) and waits for the sequence floor while the others are
 * already on their way.
 */
const SUITE = 'SEND order on Redis with SENDs in flight';
const availability = await redisAvailable();
if (!availability.ok) {
  describeRedisUnavailable(SUITE, availability.reason);
} else {
  describe(SUITE, () => {
    const keyPrefix = randomKeyPrefix();
    const opened: Client[] = [];
    let server: RunningApp;
    let admin: Redis;

    beforeAll(async () => {
      server = await startTestApp({
        BACKPLANE: 'redis',
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: keyPrefix,
        AUTH_DEV_ACCEPT_ANY: 'true',
        STOMP_CLIENT_TOPICS: '/topic/order.**',
        STOMP_SEND_RATE_PER_SECOND: '10000',
        STOMP_SEND_BURST: '10000',
        STOMP_USER_SEND_RATE_PER_SECOND: '10000',
        STOMP_USER_SEND_BURST: '10000',
      });
      await whenReady(server.httpUrl);
      admin = new Redis(redisUrl());
    });

    afterAll(async () => {
      for (const client of opened) await client.deactivate();
      await server?.close();
      admin?.disconnect();
      await deleteRedisKeys(keyPrefix);
    });

    const connect = async (login: string) => {
      const client = await connectStomp(server.wsUrl, { login });
      opened.push(client);
      return client;
    };

    /** Writes every SEND at once; resolves with the RECEIPTs in the order they came. */
    const sendBurst = (client: Client, destination: string, bodies: readonly string[]): Promise<IFrame[]> => {
      const receipts: IFrame[] = [];
      return new Promise((resolve, reject) => {
        client.onStompError = (frame) => reject(new Error(`ERROR frame: ${frame.headers['message']}`));
        bodies.forEach((body, index) => {
          const receipt = `r-${index}`;
          client.watchForReceipt(receipt, (frame) => {
            receipts.push(frame);
            if (receipts.length === bodies.length) resolve(receipts);
          });
          client.publish({ destination, body, headers: { receipt } });
        });
      });
    };

    it.each([
      ['while the counter is held', false],
      ['when the counter is gone before the burst', true],
    ])('keeps RECEIPTs and deliveries in frame order %s', async (_label, loseCounter) => {
      const destination = `/topic/order.${loseCounter ? 'lost' : 'held'}`;
      const reader = await connect('reader');
      const inbox = await subscribedWithReceipt(reader, destination);
      const sender = await connect(`sender-${loseCounter}`);
      const warmUp = await sendBurst(sender, destination, ['first']);
      expect(warmUp[0]!.headers['x-seq']).toBe('1');
      if (loseCounter) {
        const deleted = await admin.del(`${keyPrefix}{d:${destination}}:seq`);
        expect(deleted).toBe(1);
      }

      const bodies = Array.from({ length: 200 }, (_, index) => `m${index}`);
      const receipts = await sendBurst(sender, destination, bodies);

      expect(receipts.map((frame) => frame.headers['receipt-id'])).toEqual(bodies.map((_, index) => `r-${index}`));
      const seqs = receipts.map((frame) => Number(frame.headers['x-seq']));
      // Above the warm-up message, one apart: nothing reordered, skipped or numbered twice.
      expect(seqs).toEqual(bodies.map((_, index) => 2 + index));
      const delivered = await inbox.waitFor(1 + bodies.length, 10_000);
      expect(delivered.map((message) => message.body)).toEqual(['first', ...bodies]);
      expect(delivered.map((message) => Number(message.headers['x-seq']))).toEqual([1, ...seqs]);
    });
  });
}
