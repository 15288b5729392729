import type { OwnRedisCluster } from './own-redis-cluster.js';
import {
  deleteRabbitNames,
  describeRabbitUnavailable,
  rabbitAndRedisAvailable,
  randomRabbitPrefix,
  rabbitUrl,
} from './rabbitmq.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  redisUrl,
  type RedisAvailability,
} from './redis.js';

/**
 * A backplane the multi-instance suites run over, so the same end-to-end tests show that
 * instances behave as one server on each broker.
 */
export interface BrokerUnderTest {
  readonly name: 'Redis' | 'RabbitMQ' | 'Redis Cluster';
  available(): Promise<RedisAvailability>;
  describeUnavailable(suite: string, reason: string): void;
  /** A prefix for names and keys no other run shares. */
  randomPrefix(): string;
  /** Where under that prefix the instances keep their Redis keys (sequences, presence, …). */
  redisKeyPrefix(prefix: string): string;
  /** Backplane settings of every instance of one suite. */
  env(prefix: string): Record<string, string>;
  /** Removes what the suite left on the broker (and in Redis). */
  cleanUp(prefix: string): Promise<void>;
}

export const REDIS_BROKER: BrokerUnderTest = {
  name: 'Redis',
  available: () => redisAvailable(),
  describeUnavailable: describeRedisUnavailable,
  randomPrefix: randomKeyPrefix,
  redisKeyPrefix: (prefix) => prefix,
  env: (prefix) => ({ BACKPLANE: 'redis', REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix }),
  cleanUp: (prefix) => deleteRedisKeys(prefix),
};

export const RABBITMQ_BROKER: BrokerUnderTest = {
  name: 'RabbitMQ',
  available: () => rabbitAndRedisAvailable(),
  describeUnavailable: describeRabbitUnavailable,
  randomPrefix: randomRabbitPrefix,
  redisKeyPrefix: (prefix) => `${prefix}:`,
  env: (prefix) => ({
    BACKPLANE: 'rabbitmq',
    RABBITMQ_URL: rabbitUrl(),
    RABBITMQ_NAME_PREFIX: prefix,
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: RABBITMQ_BROKER.redisKeyPrefix(prefix),
  }),
  cleanUp: async (prefix) => {
    await Promise.all([deleteRedisKeys(RABBITMQ_BROKER.redisKeyPrefix(prefix)), deleteRabbitNames(prefix)]);
  },
};

export const BROKERS: readonly BrokerUnderTest[] = [REDIS_BROKER, RABBITMQ_BROKER];

/** Redis in cluster mode, on a suite's own local cluster (test/support/own-redis-cluster.ts). */
export function redisClusterBroker(cluster: OwnRedisCluster): BrokerUnderTest {
  return {
    ...REDIS_BROKER,
    name: 'Redis Cluster',
    available: () => redisAvailable(`redis://${cluster.nodes.split(',')[0]!}`),
    env: (prefix) => ({ ...REDIS_BROKER.env(prefix), REDIS_CLUSTER_NODES: cluster.nodes }),
    cleanUp: (prefix) => cluster.deleteKeys(prefix),
  };
}
