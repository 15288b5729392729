import { describeRedisUnavailable, redisAvailable, redisUrl } from './redis.js';
import { describeWithMysql, type ScratchDatabase } from './scratch-mysql.js';

/**
 * For suites that run several app instances as production does: one Redis and one MariaDB.
 * Runs `body` with a fresh scratch database when both are reachable; otherwise the suite fails
 * (REQUIRE_SERVICES=1) or is skipped with the reason printed.
 */
export async function describeWithRedisAndMysql(
  suite: string,
  body: (database: ScratchDatabase) => void,
): Promise<void> {
  const redis = await redisAvailable();
  if (!redis.ok) {
    describeRedisUnavailable(suite, redis.reason);
    return;
  }
  await describeWithMysql(suite, body);
}

/**
 * The environment shared by every instance of such a suite: the Redis backplane under the suite's
 * key prefix, users and rooms in its scratch database, one JWT secret, and no drain pause on close.
 */
export function sharedServicesEnv(
  keyPrefix: string,
  database: ScratchDatabase,
  jwtSecret: string,
): Record<string, string> {
  return {
    BACKPLANE: 'redis',
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: keyPrefix,
    DATABASE: 'mysql',
    MYSQL_URL: database.url,
    JWT_SECRET: jwtSecret,
    SHUTDOWN_DRAIN_MS: '0',
  };
}
