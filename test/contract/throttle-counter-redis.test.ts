import { afterAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { createCommandConnection } from '../../app/src/redis/redis-connection.js';
import { FallbackThrottleCounter } from '../../app/src/identity/fallback-throttle-counter.js';
import { MemoryThrottleCounter } from '../../app/src/identity/memory-throttle-counter.js';
import { RedisAuthKeys } from '../../app/src/identity/redis-auth-keys.js';
import { RedisThrottleCounter } from '../../app/src/identity/redis-throttle-counter.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  testRedisConfig,
} from '../support/redis.js';
import { describeThrottleCounterContract } from './throttle-counter.contract.js';

const OPTIONS = { freeFailures: 2, windowMs: 60_000, baseLockoutMs: 1_000, maxLockoutMs: 4_000 };

const availability = await redisAvailable();
if (availability.ok) {
  describeThrottleCounterContract('Redis', async () => {
    const keyPrefix = randomKeyPrefix();
    const connection = createCommandConnection(testRedisConfig(keyPrefix), 'throttle-contract');
    return {
      counter: (options) => new RedisThrottleCounter(connection, new RedisAuthKeys(keyPrefix), 'accounts', options),
      close: async () => {
        connection.disconnect();
        await deleteRedisKeys(keyPrefix);
      },
    };
  });

  describe('RedisThrottleCounter', () => {
    const keyPrefix = randomKeyPrefix();
    const keys = new RedisAuthKeys(keyPrefix);
    const connections: Redis[] = [];
    const connect = (url?: string) => {
      const env: Record<string, string> = url === undefined ? {} : { REDIS_URL: url };
      const connection = createCommandConnection(testRedisConfig(keyPrefix, env), 'throttle-test');
      connections.push(connection);
      return connection;
    };

    afterAll(async () => {
      for (const connection of connections) connection.disconnect();
      await deleteRedisKeys(keyPrefix);
    });

    it('shares one count between instances (two connections)', async () => {
      const first = new RedisThrottleCounter(connect(), keys, 'addresses', OPTIONS);
      const second = new RedisThrottleCounter(connect(), keys, 'addresses', OPTIONS);
      await first.recordFailure('10.0.0.1');
      await second.recordFailure('10.0.0.1');
      expect(await first.lockedForMs('10.0.0.1')).toBe(0);
      await first.recordFailure('10.0.0.1');
      expect(await second.lockedForMs('10.0.0.1')).toBeGreaterThan(0);
    });

    it('gives every key a TTL no longer than the window or the lockout', async () => {
      const connection = connect();
      const counter = new RedisThrottleCounter(connection, keys, 'accounts', OPTIONS);
      await counter.recordFailure('ttl-user');
      const ttl = await connection.pttl(keys.throttle('accounts', 'ttl-user'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(OPTIONS.windowMs + 1);
    });

    it('falls back to memory while Redis fails: nobody is locked out by the outage, floods still are', async () => {
      const dead = new RedisThrottleCounter(connect('redis://127.0.0.1:1'), keys, 'accounts', OPTIONS);
      const outages: string[] = [];
      const counter = new FallbackThrottleCounter(dead, new MemoryThrottleCounter(OPTIONS), {
        started: () => outages.push('started'),
        ended: () => outages.push('ended'),
      });
      expect(await counter.lockedForMs('k')).toBe(0);
      for (let i = 0; i < 2; i++) await counter.recordFailure('k');
      expect(await counter.lockedForMs('k')).toBe(0);
      await counter.recordFailure('k');
      expect(await counter.lockedForMs('k')).toBeGreaterThan(0);
      expect(outages).toEqual(['started']);
    }, 20_000);
  });
} else {
  describeRedisUnavailable('ThrottleCounter contract: Redis', availability.reason);
}
