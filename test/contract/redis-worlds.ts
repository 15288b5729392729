import { randomUUID } from 'node:crypto';
import { RedisBackplane } from '../../app/src/backplane/redis-backplane.js';
import {
  createBlockingConnection,
  createCommandConnection,
  createSubscriberConnection,
} from '../../app/src/redis/redis-connection.js';
import { RedisPersistQueue } from '../../app/src/backplane/redis-persist-queue.js';
import type { RedisConfig } from '../../app/src/config/app-config.js';
import { RedisPresenceRegistry } from '../../app/src/presence/redis-presence-registry.js';
import type { OwnRedisCluster } from '../support/own-redis-cluster.js';
import { deleteRedisKeys, randomKeyPrefix, testRedisConfig } from '../support/redis.js';
import type { BackplaneWorldFactory } from './backplane.contract.js';
import type { PersistWorldFactory } from './persist-queue.contract.js';
import type { PresenceWorldFactory } from './presence-registry.contract.js';

/** Where a Redis suite runs: one node or a cluster, each suite under its own key prefix. */
export interface RedisTarget {
  /** The RedisConfig the app would build for this Redis, under a suite's key prefix. */
  config(keyPrefix: string): RedisConfig;
  /** Removes every key under the prefix. */
  deleteKeys(keyPrefix: string): Promise<void>;
}

/** The shared single-node Redis (REDIS_URL). */
export const singleNodeRedis: RedisTarget = {
  config: (keyPrefix) => testRedisConfig(keyPrefix),
  deleteKeys: (keyPrefix) => deleteRedisKeys(keyPrefix),
};

/** A suite's own local cluster, in cluster mode with the default partition count. */
export function clusterRedis(cluster: OwnRedisCluster): RedisTarget {
  return {
    config: (keyPrefix) => testRedisConfig(keyPrefix, { REDIS_CLUSTER_NODES: cluster.nodes }),
    deleteKeys: (keyPrefix) => cluster.deleteKeys(keyPrefix),
  };
}

function backplane(redis: RedisConfig, name: string, logMaxLength = redis.logMaxLength): RedisBackplane {
  return new RedisBackplane({
    commands: createCommandConnection(redis, name),
    subscriber: createSubscriberConnection(redis, `${name}-sub`),
    keyPrefix: redis.keyPrefix,
    partitions: redis.cluster?.partitions,
    logMaxLength,
    timeoutMs: redis.commandTimeoutMs,
  });
}

export function redisBackplaneWorlds(target: RedisTarget): BackplaneWorldFactory {
  return async ({ instances, logCapacity }) => {
    const keyPrefix = randomKeyPrefix();
    const redis = target.config(keyPrefix);
    const backplanes = Array.from({ length: instances }, (_, i) => backplane(redis, `contract-${i}`, logCapacity));
    // An instance counts as started once it hears control events, as the app's readiness does.
    await Promise.all(backplanes.map((instance) => instance.whenControlReady()));
    return {
      instances: backplanes,
      // Deleting the prefix's keys is what a restart without persistence does to this suite's part of Redis.
      loseState: () => target.deleteKeys(keyPrefix),
      close: async () => {
        await Promise.all(backplanes.map((instance) => instance.close()));
        await target.deleteKeys(keyPrefix);
      },
    };
  };
}

export function redisPersistWorlds(target: RedisTarget): PersistWorldFactory {
  return async ({ claimIdleMs }) => {
    const keyPrefix = randomKeyPrefix();
    const redis = target.config(keyPrefix);
    const publisher = backplane(redis, 'persist-contract');
    const queue = (i: number) =>
      new RedisPersistQueue({
        commands: createCommandConnection(redis, `persist-contract-${i}`),
        blocking: createBlockingConnection(redis, `persist-contract-${i}-block`),
        keyPrefix,
        partitions: redis.cluster?.partitions,
        claimIdleMs,
      });
    const queues = [queue(0), queue(1)] as const;
    return {
      backplane: publisher,
      queues,
      close: async () => {
        await Promise.all([publisher.close(), ...queues.map((q) => q.close())]);
        await target.deleteKeys(keyPrefix);
      },
    };
  };
}

export function redisPresenceWorlds(target: RedisTarget): PresenceWorldFactory {
  return async (timing) => {
    const keyPrefix = randomKeyPrefix();
    const redis = target.config(keyPrefix);
    const registries: RedisPresenceRegistry[] = [];
    return {
      instance: () => {
        const registry = new RedisPresenceRegistry({
          connection: createCommandConnection(redis, `presence-contract-${registries.length}`),
          keyPrefix,
          partitions: redis.cluster?.partitions,
          instanceId: randomUUID(),
          timing,
        });
        registries.push(registry);
        return registry;
      },
      close: async () => {
        await Promise.all(registries.map((registry) => registry.close()));
        await target.deleteKeys(keyPrefix);
      },
    };
  };
}
