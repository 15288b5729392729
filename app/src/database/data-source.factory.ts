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
 */
export function createDataSource(database: DatabaseConfig, tables: FeatureTables): DataSource {
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

/** Where the data source points, for logs and error messages; never includes a password. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `sqlite ${database.path}`;
  const parts = mysqlConnectionParts(database.mysql);
  return `mysql ${parts.user}@${parts.host}:${parts.port}/${parts.database}`;
}
