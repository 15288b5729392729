import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from './database.tokens.js';

/**
 * Closes the pool (MySQL) or the file (SQLite) when the app stops. onApplicationShutdown
 * runs after every module's onModuleDestroy, so features that flush on destroy still
 * have a database.
 */
@Injectable()
export class DatabaseShutdown implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
