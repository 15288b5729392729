import type { BrokerUnderTest } from './brokers.js';
import { describeWithMysql, type ScratchDatabase } from './scratch-mysql.js';

/**
 * For suites that run several app instances as production does: one broker and one MariaDB.
 * Runs `body` with a fresh scratch database when both are reachable; otherwise the suite fails
 * (REQUIRE_SERVICES=1) or is skipped with the reason printed.
 */
export async function describeWithBrokerAndMysql(
  broker: BrokerUnderTest,
  suite: string,
  body: (database: ScratchDatabase) => void,
): Promise<void> {
  const availability = await broker.available();
  if (!availability.ok) {
    broker.describeUnavailable(suite, availability.reason);
    return;
  }
  await describeWithMysql(suite, body);
}

/**
 * The environment shared by every instance of such a suite: the broker's backplane under the
 * suite's prefix, users and rooms in its scratch database, one JWT secret, and no drain pause on
 * close.
 */
export function brokerServicesEnv(
  broker: BrokerUnderTest,
  prefix: string,
  database: ScratchDatabase,
  jwtSecret: string,
): Record<string, string> {
  return {
    ...broker.env(prefix),
    DATABASE: 'mysql',
    MYSQL_URL: database.url,
    JWT_SECRET: jwtSecret,
    SHUTDOWN_DRAIN_MS: '0',
  };
}
