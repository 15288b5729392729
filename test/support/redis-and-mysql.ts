import { describeRedisUnavailable, redisAvailable } from './redis.js';
import { createScratchMysqlDatabase, type ScratchDatabase } from './scratch-mysql.js';
import { describeServiceUnavailable, mysqlUrl } from './services.js';

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
  const scratch = await createScratchMysqlDatabase(mysqlUrl());
  if ('unavailable' in scratch) {
    describeServiceUnavailable(suite, 'MySQL/MariaDB', 'MYSQL_URL', scratch.unavailable);
    return;
  }
  body(scratch);
}
