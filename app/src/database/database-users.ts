/**
 * Least-privilege MySQL users, created and kept in step by the migration run (connected as the
 * master user, which only the migration task holds):
 *
 * - the migration user owns the schema: every privilege on the application database, none
 *   elsewhere, no GRANT OPTION; the migrations run as this user;
 * - the app user, which the service connects as: SELECT, INSERT, UPDATE, DELETE on each table
 *   of the application database except the migrations table; no DDL. Granted per table after
 *   the migrations ran, so a new table is granted by the deploy that creates it.
 *
 * Passwords come from Secrets Manager on every run, so a rotated secret is applied by the next
 * deploy's migration run.
 */

/** What runs SQL with client-side placeholders (`?` values, `??` identifiers): a typeorm DataSource. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface DatabaseUser {
  readonly user: string;
  readonly password: string;
}

export const APP_DML_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

/** Creates the users that do not exist yet and (re)sets every password. */
export async function ensureMysqlUsers(admin: SqlRunner, users: readonly DatabaseUser[]): Promise<void> {
  for (const { user, password } of users) {
    checkUserName(user);
    await admin.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [user, password]);
    await admin.query("ALTER USER ?@'%' IDENTIFIED BY ?", [user, password]);
  }
}

/** The migration user: everything on `database` (DDL and DML), nothing on any other schema. */
export async function grantSchemaOwner(admin: SqlRunner, database: string, user: string): Promise<void> {
  await admin.query("GRANT ALL PRIVILEGES ON ??.* TO ?@'%'", [database, user]);
}

/**
 * The app user: DML on each table of `database` but `excludedTables` (the migrations table).
 * Returns the tables granted.
 */
export async function grantAppTables(
  admin: SqlRunner,
  database: string,
  user: string,
  excludedTables: readonly string[],
): Promise<string[]> {
  const rows = (await admin.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
    [database],
  )) as Array<{ name?: string; NAME?: string }>;
  const tables = rows
    .map((row) => row.name ?? row.NAME ?? '')
    .filter((name) => name !== '' && !excludedTables.includes(name))
    .sort();
  for (const table of tables) {
    await admin.query(`GRANT ${APP_DML_PRIVILEGES.join(', ')} ON ??.?? TO ?@'%'`, [database, table, user]);
  }
  return tables;
}

// MySQL user names are at most 32 characters; keeping them to plain identifiers means they can
// never need quoting anywhere else (logs, URLs, client configuration).
function checkUserName(user: string): void {
  if (!/^[A-Za-z0-9_]{1,32}$/.test(user)) {
    throw new Error(`database user name '${user}' must be 1-32 letters, digits or underscores`);
  }
}
