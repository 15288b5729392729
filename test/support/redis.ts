import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisConfig } from '../../app/src/config/app-config.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { describeServiceUnavailable } from './services.js';

/** Redis for integration suites (REDIS_URL); every suite works under its own key prefix. */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

export type RedisAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether the Redis behind redisUrl() answers PING within a second. */
export async function redisAvailable(url = redisUrl()): Promise<RedisAvailability> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // connect() only says "Connection is closed."; the socket error says why.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    socketError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      reason: `cannot reach Redis at ${new URL(url).host} (${(socketError ?? (error as Error)).message})`,
    };
  } finally {
    client.disconnect();
  }
}

/**
 * Stands in for a suite whose Redis is missing: a failing test when REQUIRE_SERVICES=1, else a
 * skipped suite and a warning that says why.
 */
export function describeRedisUnavailable(suite: string, reason: string): void {
  describeServiceUnavailable(suite, 'Redis', 'REDIS_URL', reason);
}

/** A key prefix no other run or test shares. */
export function randomKeyPrefix(): string {
  return `test:${randomBytes(5).toString('hex')}:`;
}

/** Removes every key under a test prefix (the hash-tagged ones included). */
export async function deleteRedisKeys(prefix: string, url = redisUrl()): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** The RedisConfig the app would build for this test Redis, under the suite's own key prefix. */
export function testRedisConfig(keyPrefix: string, env: Record<string, string> = {}): RedisConfig {
  const config = loadConfig({
    NODE_ENV: 'test',
    BACKPLANE: 'redis',
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: keyPrefix,
    ...env,
  });
  if (config.backplane.kind !== 'redis') throw new Error('expected the Redis backplane');
  return config.backplane.redis;
}
