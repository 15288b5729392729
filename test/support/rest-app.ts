import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '../../app/src/config/app-config.js';
import { ConfigModule } from '../../app/src/config/config.module.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { APP_TABLES } from '../../app/src/app-tables.js';
import { DatabaseModule } from '../../app/src/database/database.module.js';
import { TablesModule } from '../../app/src/database/tables.module.js';
import { configureHttp } from '../../app/src/http/configure-http.js';
import { IdentityModule } from '../../app/src/identity/identity.module.js';
import { RoomsModule } from '../../app/src/rooms/rooms.module.js';

export interface RestApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Boots the identity and rooms modules (no realtime layer) on a throw-away SQLite data
 * dir, listening on an ephemeral loopback port.
 */
export async function startRestApp(env: Record<string, string> = {}): Promise<RestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-rest-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'rest-test-secret-rest-test-secret-0123456789',
    ...env,
  });

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      TablesModule.forRoot(APP_TABLES),
      DatabaseModule,
      IdentityModule,
      RoomsModule,
    ],
  })
  class RestTestModule {}

  const app = await NestFactory.create(RestTestModule, { logger: ['error'] });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
