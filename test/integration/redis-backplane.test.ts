import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { PublishedMessage } from '../../app/src/backplane/backplane.port.js';
import { RedisBackplane } from '../../app/src/backplane/redis-backplane.js';
import { PREDECESSOR_NOT_RUN, PUBLISH_SCRIPT } from '../../app/src/backplane/redis-publish-script.js';
import { createCommandConnection, createSubscriberConnection } from '../../app/src/redis/redis-connection.js';
import type { RedisConfig } from '../../app/src/config/app-config.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  redisUrl,
  testRedisConfig,
} from '../support/redis.js';

/** What only the Redis backplane has to get right: key layout, scripts, reconnects, outages. */
const availability = await redisAvailable();
if (!availability.ok) {
  describeRedisUnavailable('Redis backplane', availability.reason);
} else {
  describe('Redis backplane', () => {
    const keyPrefix = randomKeyPrefix();
    const created: RedisBackplane[] = [];
    let admin: Redis;

    const redisConfig = (env: Record<string, string> = {}): RedisConfig => testRedisConfig(keyPrefix, env);
    const backplane = (name: string, config = redisConfig(), onError?: (message: string) => void) => {
      const instance = new RedisBackplane({
        commands: createCommandConnection(config, `${name}-cmd`),
        subscriber: createSubscriberConnection(config, `${name}-sub`),
        keyPrefix: config.keyPrefix,
        logMaxLength: config.logMaxLength,
        timeoutMs: config.commandTimeoutMs,
        onError,
      });
      created.push(instance);
      return instance;
    };
    const collect = () => {
      const messages: PublishedMessage[] = [];
      const waitFor = async (count: number, timeoutMs = 5_000) => {
        const deadline = Date.now() + timeoutMs;
        while (messages.length < count) {
          if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return messages;
      };
      return { messages, listener: (message: PublishedMessage) => messages.push(message), waitFor };
    };
    const unique = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;
    const text = (value: string) => Buffer.from(value);

    beforeAll(() => {
      admin = new Redis(redisUrl());
    });

    afterEach(async () => {
      await Promise.all(created.splice(0).map((instance) => instance.close()));
    });

    afterAll(async () => {
      admin.disconnect();
      await deleteRedisKeys(keyPrefix);
    });

    it("keeps a sender's newest message id while its publishes are in flight, and runs nothing whose predecessor is not the newest", async () => {
      const instance = backplane(unique('order'));
      const topic = `/topic/${unique('order')}`;
      const group = unique('session');
      let written = 0;
      // A destination's first publish from this instance is answered before the sender's next goes.
      await instance.publish(
        { destination: topic, headers: [], body: text('first') },
        { orderGroup: group, onOrdered: () => written++ },
      );
      expect(written).toBe(0);
      const published = await Promise.all(
        ['a', 'b', 'c'].map((body) =>
          instance.publish(
            { destination: topic, headers: [], body: text(body) },
            { orderGroup: group, onOrdered: () => written++ },
          ),
        ),
      );
      expect(written).toBe(3);
      expect(published.map((message) => [message.body.toString(), message.seq])).toEqual([
        ['a', 2],
        ['b', 3],
        ['c', 4],
      ]);
      const orderKey = `${keyPrefix}{d:${topic}}:order:${group}`;
      expect(await admin.get(orderKey)).toBe(published[2]!.id);
      const ttl = await admin.pttl(orderKey);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);

      // A publish whose predecessor is not the sender's newest (it failed, or has not run) does nothing.
      const sequenceKey = `${keyPrefix}{d:${topic}}:seq`;
      const logKey = `${keyPrefix}{d:${topic}}:log`;
      const reply = await admin.eval(
        PUBLISH_SCRIPT,
        5,
        sequenceKey,
        logKey,
        `${keyPrefix}{persist}:stream`,
        sequenceKey,
        orderKey,
        'content',
        `${keyPrefix}{d:${topic}}`,
        '1000',
        '1',
        '0',
        'late-id',
        'redis',
        '0',
        '0',
        published[1]!.id,
        '60000',
      );
      expect(reply).toEqual([0, 0, PREDECESSOR_NOT_RUN, '']);
      expect(await admin.get(sequenceKey)).toBe('4');
      expect(await admin.xlen(logKey)).toBe(4);
      expect(await admin.get(orderKey)).toBe(published[2]!.id);
    });

    it('keeps a destination under one hash tag: counter, replay log with ids <seq>-0, channel; and feeds the persist stream', async () => {
      const instance = backplane(unique('layout'));
      const topic = `/topic/${unique('layout')}`;
      await instance.publish({ destination: topic, headers: [], body: text('a') });
      await instance.publish({ destination: topic, headers: [], body: text('b') });
      await instance.publish({ destination: topic, headers: [], body: text('typing'), ephemeral: true });

      expect(await admin.get(`${keyPrefix}{d:${topic}}:seq`)).toBe('2');
      expect(await admin.type(`${keyPrefix}{d:${topic}}:log`)).toBe('stream');
      const log = await admin.xrange(`${keyPrefix}{d:${topic}}:log`, '-', '+');
      expect(log.map(([id]) => id)).toEqual(['1-0', '2-0']);
      const persisted = await admin.xrange(`${keyPrefix}{persist}:stream`, '-', '+');
      expect(persisted.filter(([, fields]) => fields[1]!.includes(topic))).toHaveLength(2);
    });

    it('continues above its replay log when the counter was lost, without being told', async () => {
      const instance = backplane(unique('lost-counter'));
      const topic = `/topic/${unique('lost')}`;
      for (const body of ['a', 'b', 'c']) await instance.publish({ destination: topic, headers: [], body: text(body) });
      await admin.del(`${keyPrefix}{d:${topic}}:seq`); // e.g. a failover that lost the newest writes
      // Another instance, which never saw the destination and whose store knows nothing newer.
      const next = await backplane(unique('lost-counter-2')).publish(
        { destination: topic, headers: [], body: text('d') },
        { sequenceFloor: () => Promise.resolve(0) },
      );
      expect(next.seq).toBe(4);
    });

    it('keeps the dedupe record under the destination hash tag, with the original seq, time and id, expiring', async () => {
      const instance = backplane(unique('dedupe'));
      const topic = `/topic/${unique('dedupe')}`;
      const published = await instance.publish(
        { destination: topic, headers: [], body: text('a') },
        { dedupe: { key: 'u:m', ttlMs: 60_000 } },
      );
      const key = `${keyPrefix}{d:${topic}}:dedupe:u:m`;
      expect(await admin.get(key)).toBe(`${published.seq} ${published.publishedAt} ${published.id}`);
      expect(await admin.pttl(key)).toBeGreaterThan(50_000);
    });

    it('lets a destination with a retention forget its counter and log after that long, and room topics keep theirs', async () => {
      const instance = backplane(unique('retention'));
      const kept = `/topic/${unique('kept')}`;
      const retained = `/topic/${unique('retained')}`;
      await instance.publish({ destination: kept, headers: [], body: text('a') });
      await instance.publish({ destination: retained, headers: [], body: text('a') }, { retentionMs: 60_000 });
      expect(await admin.pttl(`${keyPrefix}{d:${kept}}:seq`)).toBe(-1);
      expect(await admin.pttl(`${keyPrefix}{d:${kept}}:log`)).toBe(-1);
      expect(await admin.pttl(`${keyPrefix}{d:${retained}}:seq`)).toBeGreaterThan(50_000);
      expect(await admin.pttl(`${keyPrefix}{d:${retained}}:log`)).toBeGreaterThan(50_000);

      const shortLived = `/topic/${unique('short')}`;
      await instance.publish({ destination: shortLived, headers: [], body: text('a') }, { retentionMs: 200 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await admin.exists(`${keyPrefix}{d:${shortLived}}:seq`, `${keyPrefix}{d:${shortLived}}:log`)).toBe(0);
    });

    it('still publishes after the script cache was flushed (EVALSHA falls back to EVAL)', async () => {
      const instance = backplane(unique('noscript'));
      const topic = `/topic/${unique('noscript')}`;
      await instance.publish({ destination: topic, headers: [], body: text('cached') });
      await admin.script('FLUSH');
      const after = await instance.publish({ destination: topic, headers: [], body: text('reloaded') });
      expect(after.seq).toBe(2);
    });

    it('re-subscribes after its Pub/Sub connection is killed, and replays what it missed meanwhile', async () => {
      const name = unique('reconnect');
      const subscriber = backplane(name);
      const publisher = backplane(unique('publisher'));
      const topic = `/topic/${name}`;
      const received = collect();
      await subscriber.subscribe(topic, received.listener);
      await publisher.publish({ destination: topic, headers: [], body: text('before') });
      await received.waitFor(1);

      // Only this test's subscriber: CLIENT KILL TYPE pubsub would hit every suite running now.
      const killed = await admin.call('CLIENT', 'KILL', 'ID', await clientId(`${name}-sub`));
      expect(killed).toBe(1);
      // Published while the subscriber is disconnected: Pub/Sub drops it for that connection.
      await publisher.publish({ destination: topic, headers: [], body: text('while down') });

      await received.waitFor(2);
      await publisher.publish({ destination: topic, headers: [], body: text('after') });
      await received.waitFor(3);

      expect(received.messages.map((message) => [message.seq, message.body.toString()])).toEqual([
        [1, 'before'],
        [2, 'while down'],
        [3, 'after'],
      ]);
      // ioredis re-subscribed by itself: the new connection holds the control and the topic channel.
      const info = await clientInfo(`${name}-sub`);
      expect(info).toMatch(/ sub=2 /);
    });

    it('delivers control events again after the Pub/Sub connection was killed', async () => {
      const name = unique('control');
      const instance = backplane(name);
      const seen: string[] = [];
      instance.onControl((event) => seen.push(event.type));
      await instance.publishControl({ type: 'first' });
      await admin.call('CLIENT', 'KILL', 'ID', await clientId(`${name}-sub`));
      const deadline = Date.now() + 5_000;
      while (!(await clientInfo(`${name}-sub`)).includes(' sub=1 ') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await instance.publishControl({ type: 'second' });
      while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual(['first', 'second']);
    });

    it('rejects publish, ping and subscribe within the command timeout when Redis is unreachable', async () => {
      const errors: string[] = [];
      // Nothing listens on port 1.
      const unreachable = backplane(
        unique('down'),
        redisConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_COMMAND_TIMEOUT_MS: '300' }),
        (message) => errors.push(message),
      );
      const started = Date.now();

      // What the client sees: a code to reconnect on, and when.
      await expect(
        unreachable.publish({ destination: '/topic/down', headers: [], body: text('x') }),
      ).rejects.toMatchObject({ code: 'BACKPLANE_UNAVAILABLE', details: { 'x-reconnect-after-ms': 2_000 } });
      await expect(unreachable.ping()).rejects.toThrow(/redis unavailable .*gave up after 300 ms/);
      await expect(unreachable.subscribe('/topic/down', () => {})).rejects.toMatchObject({
        code: 'BACKPLANE_UNAVAILABLE',
      });
      await expect(unreachable.publishControl({ type: 'x' })).rejects.toThrow(/gave up after 300 ms/);

      expect(Date.now() - started).toBeLessThan(3_000);
      expect(errors.some((message) => message.includes('ECONNREFUSED'))).toBe(true);
    });

    async function clientId(connectionName: string): Promise<string> {
      const line = await clientInfo(connectionName);
      const id = / ?id=(\d+) /.exec(` ${line}`)?.[1];
      if (id === undefined) throw new Error(`no client named ${connectionName}`);
      return id;
    }

    async function clientInfo(connectionName: string): Promise<string> {
      const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      return list.split('\n').find((line) => line.includes(` name=${connectionName} `)) ?? '';
    }
  });
}
