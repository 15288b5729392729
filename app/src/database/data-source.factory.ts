import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config.js';
import type { FeatureTables } from './feature-tables.js';
import { mysqlConnectionParts } from './mysql-connection.js';

/**
 * Builds (does not connect) the DataSource for the given tables (the app's are APP_TABLES).
 * The schema is owned by the migrations alone: `synchronize` is off on every engine, so
 * a changed entity can never alter a production table behind a reviewer's back.
 * `mysqlDriver`: the mysql2 module, when the caller imported it (see loadMysqlDriver);
 * otherwise TypeORM requires it on connect.
 */
export function createDataSource(database: DatabaseConfig, tables: FeatureTables, mysqlDriver?: unknown): DataSource {
  const common = {
    entities: [...tables.entities],
    migrations: [...tables.migrations],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // WAL lets the migrate script or a backup read while the service writes.
      enableWAL: true,
    });
  }
  const parts = mysqlConnectionParts(database.mysql);
  return new DataSource({
    ...common,
    type: 'mysql',
    ...(mysqlDriver === undefined ? {} : { driver: mysqlDriver }),
    host: parts.host,
    port: parts.port,
    username: parts.user,
    password: parts.password,
    database: parts.database,
    // DATETIME columns hold UTC; without this mysql2 would convert through the host's zone.
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    connectTimeout: 10_000,
    // RDS requires TLS (require_secure_transport); the CA bundle ships in the image.
    ...(database.mysql.tls
      ? {
          ssl: {
            rejectUnauthorized: true,
            ...(database.mysql.tlsCaFile === undefined ? {} : { ca: readFileSync(database.mysql.tlsCaFile, 'utf8') }),
          },
        }
      : {}),
  });
}

/**
 * mysql2, imported by the service itself rather than required by TypeORM on connect: the bundle
 * (app/build-bundle.mjs) then holds it as a chunk read only when MySQL is configured, instead of
 * the package's ~100 files loaded from node_modules.
 */
export async function loadMysqlDriver(database: DatabaseConfig): Promise<unknown> {
  if (database.kind !== 'mysql') return undefined;
  return (await import('mysql2')).default;
}

/** Where the data source points, for logs and error messages; never includes a password. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `sqlite ${database.path}`;
  const parts = mysqlConnectionParts(database.mysql);
  return `mysql ${parts.user}@${parts.host}:${parts.port}/${parts.database}`;
}
