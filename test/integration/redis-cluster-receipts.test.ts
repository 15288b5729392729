import { afterAll, describe, expect, it } from '@jest/globals';
import { RedisBackplane } from '../../app/src/backplane/redis-backplane.js';
import { createCommandConnection, createSubscriberConnection } from '../../app/src/redis/redis-connection.js';
import { AppError } from '../../app/src/errors/app-error.js';
import { clusterRedis } from '../contract/redis-worlds.js';
import { startOwnRedisCluster } from '../support/own-redis-cluster.js';
import { randomKeyPrefix } from '../support/redis.js';

// A 3-primary, 3-replica cluster of this suite's own: each shard has exactly one replica.
const cluster = await startOwnRedisCluster();
const target = clusterRedis(cluster);
const keyPrefix = randomKeyPrefix();
const backplanes: RedisBackplane[] = [];
afterAll(async () => {
  await Promise.all(backplanes.map((backplane) => backplane.close()));
  await cluster.dispose();
});

function backplaneWaitingFor(replicas: number): RedisBackplane {
  const redis = target.config(keyPrefix);
  const backplane = new RedisBackplane({
    commands: createCommandConnection(redis, 'receipts'),
    subscriber: createSubscriberConnection(redis, 'receipts-sub'),
    keyPrefix,
    partitions: redis.cluster?.partitions,
    logMaxLength: 100,
    timeoutMs: redis.commandTimeoutMs,
    // Generous: a loaded CI machine delays the replicas' acknowledgements, never their count.
    waitForReplicas: { replicas, timeoutMs: 1_500 },
  });
  backplanes.push(backplane);
  return backplane;
}

const message = (destination: string) => ({ destination, body: Buffer.from('m'), headers: [] });

describe('Receipts that wait for replicas, on a Redis Cluster', () => {
  it('confirm on the shard of each destination (WAIT on the primary that ran the script)', async () => {
    const backplane = backplaneWaitingFor(1);
    // 48 destinations fall on every one of the 16 partitions, so on all 3 shards.
    const destinations = Array.from({ length: 48 }, (_, i) => `/topic/receipts.${i}`);
    const published = await Promise.all(destinations.map((destination) => backplane.publish(message(destination))));
    expect(published.map((p) => p.seq)).toEqual(destinations.map(() => 1));
  });

  it('refuse with BACKPLANE_UNREPLICATED when the shard has fewer replicas than asked for', async () => {
    const backplane = backplaneWaitingFor(2);
    const refusal = await backplane.publish(message('/topic/receipts.two-replicas')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('BACKPLANE_UNREPLICATED');
  });
});
