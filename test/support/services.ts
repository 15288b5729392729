/**
 * The only place tests read process.env: which external services to use, and whether a
 * missing one fails the run (CI sets REQUIRE_SERVICES=1) or only skips its suites.
 */

/** MySQL/MariaDB server URL for integration suites; each suite makes its own database on it. */
export function mysqlUrl(): string {
  return process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
}

/** True when an unreachable service must fail the run instead of skipping its suites. */
export function requireServices(): boolean {
  return process.env.REQUIRE_SERVICES === '1';
}

/** MongoDB for the message store suites; unset means "try mongodb-memory-server, else skip". */
export function mongoUrl(): string | undefined {
  return process.env.MONGO_URL;
}
