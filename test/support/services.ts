import { describe, it } from '@jest/globals';
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

/**
 * Stands in for a suite whose service is unreachable: under REQUIRE_SERVICES=1 a failing test
 * that names the reason, otherwise a visible warning and a skipped suite.
 */
export function describeServiceUnavailable(suite: string, service: string, variable: string, reason: string): void {
  if (requireServices()) {
    describe(suite, () => {
      it(`needs a reachable ${service} (REQUIRE_SERVICES=1)`, () => {
        throw new Error(reason);
      });
    });
  } else {
    console.warn(`${suite} SKIPPED: ${reason}; set ${variable}, or REQUIRE_SERVICES=1 to fail instead`);
    describe.skip(suite, () => {
      it(`needs a reachable ${service}`, () => undefined);
    });
  }
}

/** The Chromium the browser suites drive (Debian's `chromium`; .ci/run installs it). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Where browser suites save their screenshots: docs/ when SAVE_SCREENSHOTS=1 (to commit them), else a temp dir. */
export function saveScreenshotsToDocs(): boolean {
  return process.env.SAVE_SCREENSHOTS === '1';
}
