import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { describeServiceUnavailable, mysqlUrl } from './services.js';

export interface ScratchDatabase {
  /** The server URL with this database as its path. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database (chat_test_<hex>) on the server behind `serverUrl`,
 * so suites running in parallel, or a crashed earlier run, never share tables.
 * Resolves to the reason instead when the server cannot be reached.
 */
export async function createScratchMysqlDatabase(
  serverUrl: string,
): Promise<ScratchDatabase | { unavailable: string }> {
  const url = new URL(serverUrl);
  const name = `chat_test_${randomBytes(6).toString('hex')}`;
  const connect = () =>
    mysql.createConnection({
      host: url.hostname,
      port: url.port === '' ? 3306 : Number(url.port),
      user: decodeURIComponent(url.username) || 'root',
      password: decodeURIComponent(url.password),
      connectTimeout: 3_000,
    });
  let admin: mysql.Connection;
  try {
    admin = await connect();
  } catch (error) {
    return {
      unavailable: `cannot reach MySQL/MariaDB at ${url.host} (${(error as Error).message || (error as { code?: string }).code})`,
    };
  }
  try {
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const scratch = new URL(serverUrl);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    name,
    drop: async () => {
      const connection = await connect();
      try {
        await connection.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await connection.end();
      }
    },
  };
}

/**
 * Runs `body` with a fresh scratch database on MYSQL_URL's server; when the server cannot be
 * reached, the suite fails (REQUIRE_SERVICES=1) or is skipped with the reason printed.
 */
export async function describeWithMysql(suite: string, body: (database: ScratchDatabase) => void): Promise<void> {
  const scratch = await createScratchMysqlDatabase(mysqlUrl());
  if ('unavailable' in scratch) {
    describeServiceUnavailable(suite, 'MySQL/MariaDB', 'MYSQL_URL', scratch.unavailable);
    return;
  }
  body(scratch);
}
