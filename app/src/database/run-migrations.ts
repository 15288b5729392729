import type { DataSource } from 'typeorm';

const MYSQL_LOCK_NAME = 'stomp_chat_migrations';
const MYSQL_LOCK_WAIT_SECONDS = 120;

/**
 * Applies every pending migration and returns the names applied, oldest first.
 *
 * On MySQL a named server lock (GET_LOCK) is held meanwhile, so instances that start
 * together with migrate-on-start enabled, or a deploy's migrate task overlapping a
 * running one, take turns: the second finds nothing left to do instead of failing half
 * way through a CREATE TABLE. SQLite has a single writer per file and needs no lock.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const type = dataSource.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return applied(dataSource);

  const lockHolder = dataSource.createQueryRunner();
  try {
    const rows = (await lockHolder.query('SELECT GET_LOCK(?, ?) AS acquired', [
      MYSQL_LOCK_NAME,
      MYSQL_LOCK_WAIT_SECONDS,
    ])) as Array<{
      acquired: number | string | null;
    }>;
    if (Number(rows[0]?.acquired) !== 1) {
      throw new Error(
        `another migration run has held the '${MYSQL_LOCK_NAME}' lock for over ${MYSQL_LOCK_WAIT_SECONDS}s`,
      );
    }
    try {
      return await applied(dataSource);
    } finally {
      await lockHolder.query('SELECT RELEASE_LOCK(?)', [MYSQL_LOCK_NAME]);
    }
  } finally {
    await lockHolder.release();
  }
}

async function applied(dataSource: DataSource): Promise<string[]> {
  const migrations = await dataSource.runMigrations({ transaction: 'each' });
  return migrations.map((migration) => migration.name);
}
