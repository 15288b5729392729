import { brokerServicesEnv, describeWithBrokerAndMysql } from './broker-and-mysql.js';
import { REDIS_BROKER } from './brokers.js';
import type { ScratchDatabase } from './scratch-mysql.js';

/** describeWithBrokerAndMysql on Redis, for the suites that run on the Redis backplane only. */
export async function describeWithRedisAndMysql(
  suite: string,
  body: (database: ScratchDatabase) => void,
): Promise<void> {
  await describeWithBrokerAndMysql(REDIS_BROKER, suite, body);
}

/** brokerServicesEnv on Redis, under `keyPrefix`. */
export function sharedServicesEnv(
  keyPrefix: string,
  database: ScratchDatabase,
  jwtSecret: string,
): Record<string, string> {
  return brokerServicesEnv(REDIS_BROKER, keyPrefix, database, jwtSecret);
}
