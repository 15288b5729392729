import type { AppConfig } from '../config/app-config.js';

/**
 * Whether the service applies pending migrations while it starts.
 *
 * SQLite is the embedded, single-process default, so it always migrates itself. For
 * MySQL a production deploy runs `node dist/app/src/database/migrate.js` once instead,
 * so several tasks never race on DDL; development and test migrate on start for
 * convenience. DATABASE_MIGRATE_ON_START overrides this default (see load-config.ts).
 */
export function shouldMigrateOnStart(config: AppConfig): boolean {
  return config.database.migrateOnStart;
}
