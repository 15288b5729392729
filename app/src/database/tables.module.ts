import { type DynamicModule, Global, Module } from '@nestjs/common';
import { FEATURE_TABLES } from './database.tokens.js';
import type { FeatureTables } from './feature-tables.js';

/**
 * Hands the DatabaseModule the tables to map. The app root passes APP_TABLES (each feature's
 * tables), so the database layer itself never imports a feature.
 */
@Global()
@Module({})
export class TablesModule {
  static forRoot(tables: FeatureTables): DynamicModule {
    return {
      module: TablesModule,
      providers: [{ provide: FEATURE_TABLES, useValue: tables }],
      exports: [FEATURE_TABLES],
    };
  }
}
