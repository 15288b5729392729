import type { AppConfig } from '../config/app-config.js';

/**
 * Whether the service applies pending migrations while it starts.
 *
 * SQLite is the embedded, single-process default, so it always migrates itself. For
 * MySQL a production deploy runs `node dist/app/src/database/migrate.js` once instead,
 * so several tasks never race on DDL; development and test migrate on start for
 * convenience. `config.database.migrateOnStart` (DATABASE_MIGRATE_ON_START) overrides
 * this default as soon as the config module provides it.
 */
export function shouldMigrateOnStart(config: AppConfig): boolean {
  const database = config.database;
  if ('migrateOnStart' in database && typeof database.migrateOnStart === 'boolean') {
    return database.migrateOnStart;
  }
  return database.kind === 'sqlite' || config.mode !== 'production';
}
