import { afterAll, describe, expect, it } from '@jest/globals';
import type { PublishedMessage } from '../../app/src/backplane/backplane.port.js';
import { RedisBackplane } from '../../app/src/backplane/redis-backplane.js';
import { RedisKeys } from '../../app/src/backplane/redis-keys.js';
import { clusterSlot } from '../../app/src/redis/redis-cluster-slots.js';
import { createCommandConnection, createSubscriberConnection } from '../../app/src/redis/redis-connection.js';
import { clusterRedis } from '../contract/redis-worlds.js';
import { startOwnRedisCluster } from '../support/own-redis-cluster.js';
import { randomKeyPrefix } from '../support/redis.js';
import { until } from '../support/until.js';

// A 3-primary, 3-replica cluster of this suite's own.
const cluster = await startOwnRedisCluster();
const target = clusterRedis(cluster);
const keyPrefix = randomKeyPrefix();
const backplanes: RedisBackplane[] = [];
afterAll(async () => {
  await Promise.all(backplanes.map((backplane) => backplane.close()));
  await target.deleteKeys(keyPrefix);
  await cluster.dispose();
});

function backplane(name: string): RedisBackplane {
  const redis = target.config(keyPrefix);
  const made = new RedisBackplane({
    commands: createCommandConnection(redis, name),
    subscriber: createSubscriberConnection(redis, `${name}-sub`),
    keyPrefix,
    partitions: redis.cluster?.partitions,
    logMaxLength: 100,
    timeoutMs: redis.commandTimeoutMs,
  });
  backplanes.push(made);
  return made;
}

/** The port of the primary that owns a destination's slot now. */
async function primaryOf(destination: string): Promise<number> {
  const slot = clusterSlot(new RedisKeys(keyPrefix, 16).clusterTag(destination));
  const ranges = await cluster.onNode(cluster.ports[0]!, (node) => node.cluster('SLOTS'));
  const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
  return owner![2]![1];
}

describe("Sharded subscriptions after a shard's subscriber connection is replaced", () => {
  it('read what was published meanwhile from the replay log at once, not at the next message', async () => {
    const publisher = backplane('resubscribe-pub');
    const subscriber = backplane('resubscribe-sub');
    const destination = '/topic/resubscribe';
    const received: PublishedMessage[] = [];
    await subscriber.subscribe(destination, (message) => received.push(message));
    const body = (text: string) => ({ destination, body: Buffer.from(text), headers: [] });
    await publisher.publish(body('before'));
    await until(async () => received.length === 1, 5_000);

    // Drop every Pub/Sub connection on the shard that owns the destination's channel: ioredis
    // replaces this instance's sharded subscriber there, and what is published meanwhile is missed.
    const shard = await primaryOf(destination);
    await cluster.onNode(shard, (node) => node.client('KILL', 'TYPE', 'pubsub'));
    for (const text of ['gap-1', 'gap-2', 'gap-3']) await publisher.publish(body(text));

    // No further message is published: the gap must be filled by the re-subscription itself.
    await until(async () => received.length >= 4, 5_000);
    expect(received.map((message) => message.body.toString())).toEqual(['before', 'gap-1', 'gap-2', 'gap-3']);
    expect(received.map((message) => message.seq)).toEqual([1, 2, 3, 4]);
  });
});
