import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../app/src/config/load-config.js';
import { AppError } from '../../../app/src/errors/app-error.js';

function redisOf(env: Record<string, string>) {
  const config = loadConfig({ BACKPLANE: 'redis', ...env });
  if (config.backplane.kind !== 'redis') throw new Error('expected the Redis backplane');
  return config.backplane.redis;
}

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    return (error as AppError).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('Redis Cluster settings', () => {
  it('leaves cluster mode off unless asked for', () => {
    expect(redisOf({ REDIS_URL: 'redis://cache:6379' }).cluster).toBeUndefined();
    expect(redisOf({ REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER: 'false' }).cluster).toBeUndefined();
  });

  it('REDIS_CLUSTER=true seeds the cluster from the URL (or host and port), 16 partitions by default', () => {
    expect(redisOf({ REDIS_URL: 'rediss://config.example:6380', REDIS_CLUSTER: 'true' }).cluster).toEqual({
      nodes: [{ host: 'config.example', port: 6380 }],
      partitions: 16,
    });
    expect(redisOf({ REDIS_HOST: '10.0.0.5', REDIS_CLUSTER: 'true' }).cluster?.nodes).toEqual([
      { host: '10.0.0.5', port: 6379 },
    ]);
  });

  it('REDIS_CLUSTER_NODES lists the seeds and turns cluster mode on by itself', () => {
    const redis = redisOf({ REDIS_CLUSTER_NODES: 'a:7000, b:7001,[::1]:7002', REDIS_CLUSTER_PARTITIONS: '64' });
    expect(redis.cluster).toEqual({
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      partitions: 64,
    });
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'a:7000,b' }, 'REDIS_CLUSTER_NODES: expected host:port, got "b"'],
    [{ REDIS_CLUSTER: 'true', REDIS_CLUSTER_PARTITIONS: '0' }, 'REDIS_CLUSTER_PARTITIONS: expected an integer'],
    [
      { REDIS_CLUSTER: 'true', BACKPLANE: 'rabbitmq', RABBITMQ_URL: 'amqp://guest:guest@mq:5672' },
      'REDIS_CLUSTER: not supported with BACKPLANE=rabbitmq yet',
    ],
  ])('refuses what it cannot do, saying why: %j', (env, message) => {
    expect(problemOf({ REDIS_URL: 'redis://cache:6379', ...env })).toContain(message);
  });
});
