import { describe, expect, it } from '@jest/globals';
import type { Cluster } from 'ioredis';
import {
  createCommandConnection,
  createSubscriberConnection,
  MAX_RECONNECT_DELAY_MS,
  reconnectDelay,
  reconnectOnReadOnly,
  redisOptions,
} from '../../../app/src/redis/redis-connection.js';
import type { RedisConfig } from '../../../app/src/config/app-config.js';

const base: RedisConfig = {
  host: '127.0.0.1',
  port: 6379,
  tls: false,
  keyPrefix: 'chat:',
  commandTimeoutMs: 2_000,
  logMaxLength: 1_000,
  receiptWaitReplicas: 0,
  receiptWaitTimeoutMs: 500,
};

describe('Redis connection options', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(reconnectDelay(1, () => 0)).toBe(25);
    expect(reconnectDelay(1, () => 1)).toBe(50);
    expect(reconnectDelay(3, () => 1)).toBe(200);
    expect(reconnectDelay(30, () => 1)).toBe(MAX_RECONNECT_DELAY_MS);
    expect(reconnectDelay(30, () => 0)).toBe(MAX_RECONNECT_DELAY_MS / 2);
  });

  it('reconnects and resends on READONLY (failover) only', () => {
    expect(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnReadOnly(new Error('ERR unknown command'))).toBe(false);
  });

  it('uses host and port without a URL, TLS only when asked', () => {
    const options = redisOptions(base, 'test');
    expect(options).toMatchObject({ host: '127.0.0.1', port: 6379, connectionName: 'test' });
    expect(options.tls).toBeUndefined();
    expect(redisOptions({ ...base, tls: true }, 'test').tls).toEqual({});
  });

  it('takes host, port, credentials, db and TLS from a rediss:// URL; explicit credentials win', () => {
    const fromUrl = redisOptions({ ...base, url: 'rediss://user:p%40ss@cache.example.com:6380/2' }, 'test');
    expect(fromUrl).toMatchObject({
      host: 'cache.example.com',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    const explicit = redisOptions(
      { ...base, url: 'redis://user:old@cache:6379', username: 'app', password: 'token' },
      'test',
    );
    expect(explicit).toMatchObject({ host: 'cache', port: 6379, username: 'app', password: 'token' });
    expect(explicit.tls).toBeUndefined();
    expect(redisOptions({ ...base, url: 'redis://cache' }, 'test').port).toBe(6379);
  });
});

const clustered: RedisConfig = {
  ...base,
  url: 'rediss://user:s3cret@config.example:6380',
  // Port 1 refuses at once: the tests look at options, never at a live cluster.
  cluster: { nodes: [{ host: '127.0.0.1', port: 1 }], partitions: 16 },
};

/** The Cluster behind the single-node type, disconnected before the test looks at it. */
function optionsOf(connection: ReturnType<typeof createCommandConnection>): Cluster['options'] {
  connection.on('error', () => undefined);
  connection.disconnect();
  return (connection as unknown as Cluster).options;
}

describe('Redis Cluster connections', () => {
  it('are ioredis Clusters seeded from the configured nodes, with TLS and credentials as a single node gets them', () => {
    const connection = createCommandConnection(clustered, 'test');
    expect(connection.isCluster).toBe(true);
    const options = optionsOf(connection);
    expect(options.redisOptions).toMatchObject({
      tls: {},
      username: 'user',
      password: 's3cret',
      connectionName: 'test',
      commandTimeout: 2_000,
    });
    // Node addresses from CLUSTER SLOTS are kept as given, so TLS checks the certificate's name.
    expect(options.dnsLookup).toBeDefined();
    expect(options.shardedSubscribers).toBe(false);
  });

  it('subscribe through sharded subscribers (one per primary)', () => {
    expect(optionsOf(createSubscriberConnection(clustered, 'test-sub')).shardedSubscribers).toBe(true);
  });

  it('stay single-node connections when cluster mode is off', () => {
    const single = createCommandConnection({ ...clustered, cluster: undefined, url: 'redis://127.0.0.1:1' }, 't');
    single.on('error', () => undefined);
    single.disconnect();
    expect(single.isCluster).toBe(false);
  });
});
