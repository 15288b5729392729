import type { EntitySchema, MigrationInterface } from 'typeorm';

/**
 * The relational tables one feature owns: its typeorm entities and the migrations that create
 * them. Each feature exports one; the app root combines them (app-tables.ts) and hands the result
 * to the database, which therefore knows no feature.
 */
export interface FeatureTables {
  readonly entities: readonly EntitySchema[];
  /**
   * Listed by class rather than found by a file glob: globs differ between ts-jest, tsc output
   * and bundles, and a missed file fails silently. typeorm runs them in timestamp order.
   */
  readonly migrations: readonly (new () => MigrationInterface)[];
}

/** Several features' tables as one set. */
export function combineTables(...features: readonly FeatureTables[]): FeatureTables {
  return {
    entities: features.flatMap((feature) => feature.entities),
    migrations: features.flatMap((feature) => feature.migrations),
  };
}
