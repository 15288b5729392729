import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'amqplib';
import type { PublishedMessage } from '../../app/src/backplane/backplane.port.js';
import { RabbitBackplane } from '../../app/src/backplane/rabbit-backplane.js';
import { RabbitNames } from '../../app/src/backplane/rabbit-names.js';
import { encodeContent } from '../../app/src/backplane/redis-message-codec.js';
import type { RedisSequencer } from '../../app/src/backplane/redis-sequencer.js';
import {
  deleteRabbitNames,
  describeRabbitUnavailable,
  rabbitAndRedisAvailable,
  randomRabbitPrefix,
  rabbitUrl,
  testRabbitSettings,
  testSequencer,
} from '../support/rabbitmq.js';
import { deleteRedisKeys } from '../support/redis.js';
import { until } from '../support/until.js';

/**
 * BACKPLANE=rabbitmq sequences a message in Redis, then carries it through RabbitMQ. An instance
 * that dies between the two leaves the message in the replay log (with its dedupe record) and
 * nowhere else. The client's retry on another instance is a duplicate there; it must not be
 * receipted until the original is in RabbitMQ: delivered live, and in the persist queue.
 */
const availability = await rabbitAndRedisAvailable();
if (!availability.ok) {
  describeRabbitUnavailable('RabbitMQ: a retry carries an uncarried original', availability.reason);
} else {
  describe('RabbitMQ: a retry carries an uncarried original', () => {
    const prefix = randomRabbitPrefix();
    const { redis, rabbitmq } = testRabbitSettings(prefix);
    const destination = '/topic/rooms.carry-again';
    let publisher: RabbitBackplane;
    let subscriber: RabbitBackplane;
    let crashed: RedisSequencer;
    const received: PublishedMessage[] = [];

    beforeAll(async () => {
      const backplane = (name: string) =>
        new RabbitBackplane({ rabbit: rabbitmq, sequencer: testSequencer(redis, name), timeoutMs: 5_000 });
      publisher = backplane('carry-publisher');
      subscriber = backplane('carry-subscriber');
      crashed = testSequencer(redis, 'carry-crashed');
      await Promise.all([publisher.whenControlReady(), subscriber.whenControlReady()]);
      await subscriber.subscribe(destination, (message) => received.push(message));
    });

    afterAll(async () => {
      await Promise.all([publisher?.close(), subscriber?.close(), crashed?.commands.quit()]);
      await Promise.all([deleteRedisKeys(redis.keyPrefix), deleteRabbitNames(prefix)]);
    });

    it('delivers and hands to the persister the original a dead instance only sequenced, once', async () => {
      const message = (body: string) => ({
        destination,
        headers: [] as Array<[string, string]>,
        body: Buffer.from(body),
      });
      const dedupe = { key: 'alice:retry-1', ttlMs: 60_000 };
      await publisher.publish(message('first'));
      await until(() => received.length === 1);

      // The dying instance: its script ran (sequence, log, dedupe record), its RabbitMQ publish never did.
      const original = message('second');
      const sequenced = await crashed
        .sequencedPublish(() => 0)
        .publish(original, encodeContent('dead-1', original), 'dead-1', { dedupe });
      expect(sequenced).toMatchObject({ seq: 2, duplicate: false });

      const retry = await publisher.publish(message('second'), { dedupe });
      expect(retry).toMatchObject({ seq: 2, id: 'dead-1', duplicate: true });
      await until(() => received.length === 2);
      // A further retry carries it again; the subscriber's gate drops the copy by its seq.
      await publisher.publish(message('second'), { dedupe });
      await publisher.publish(message('third'));
      await until(() => received.length >= 3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.map((m) => [m.seq, m.id === 'dead-1' ? 'dead-1' : 'live', m.body.toString()])).toEqual([
        [1, 'live', 'first'],
        [2, 'dead-1', 'second'],
        [3, 'live', 'third'],
      ]);

      // The persist queue (nobody consumes it here) holds the original: seq 2 at least once.
      const model = await connect(rabbitUrl());
      try {
        const channel = await model.createChannel();
        const { messageCount } = await channel.checkQueue(new RabbitNames(prefix).persistQueue);
        expect(messageCount).toBe(4); // first, second, its carried-again copy, third
      } finally {
        await model.close();
      }
    });
  });
}
