import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { ConfigModule } from '../../app/src/config/config.module.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { APP_TABLES } from '../../app/src/app-tables.js';
import { DatabaseModule } from '../../app/src/database/database.module.js';
import { TablesModule } from '../../app/src/database/tables.module.js';
import { DATA_SOURCE } from '../../app/src/database/database.tokens.js';
import { IdentityEvents } from '../../app/src/identity/identity-events.js';
import { JwtAuthenticator } from '../../app/src/identity/jwt-authenticator.js';
import { AUTHENTICATOR, type Authenticator } from '../../app/src/realtime/auth/authenticator.port.js';
import {
  DESTINATION_AUTHORIZER,
  type DestinationAuthorizer,
} from '../../app/src/realtime/auth/destination-authorizer.port.js';
import { IdentityModule } from '../../app/src/identity/identity.module.js';
import { MembershipsService } from '../../app/src/rooms/memberships.service.js';
import { RoomDestinationAuthorizer } from '../../app/src/rooms/room-destination-authorizer.js';
import { RoomEvents } from '../../app/src/rooms/room-events.js';
import { RoomsModule } from '../../app/src/rooms/rooms.module.js';

/** Stands in for the realtime layer: a module that consumes what the identity and rooms modules export. */
@Injectable()
class Consumer {
  constructor(
    @Inject(AUTHENTICATOR) readonly authenticator: Authenticator,
    @Inject(DESTINATION_AUTHORIZER) readonly authorizer: DestinationAuthorizer,
    @Inject(IdentityEvents) readonly identityEvents: IdentityEvents,
    @Inject(RoomEvents) readonly roomEvents: RoomEvents,
    @Inject(MembershipsService) readonly memberships: MembershipsService,
  ) {}
}

@Module({ imports: [IdentityModule, RoomsModule], providers: [Consumer] })
class ConsumerModule {}

describe('module wiring', () => {
  let context: INestApplicationContext;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-wiring-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });

    @Module({
      imports: [ConfigModule.forRoot(config), TablesModule.forRoot(APP_TABLES), DatabaseModule, ConsumerModule],
    })
    class RootModule {}

    context = await NestFactory.createApplicationContext(RootModule, { logger: false });
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the realtime layer the JWT authenticator and the room authorizer from the identity and rooms modules', () => {
    const consumer = context.get(Consumer);
    expect(consumer.authenticator).toBeInstanceOf(JwtAuthenticator);
    expect(consumer.authorizer).toBeInstanceOf(RoomDestinationAuthorizer);
  });

  it('shares one instance of each provider across modules', () => {
    const consumer = context.get(Consumer);
    expect(consumer.identityEvents).toBe(context.get(IdentityEvents, { strict: false }));
    expect(consumer.roomEvents).toBe(context.get(RoomEvents, { strict: false }));
    expect(consumer.authenticator).toBe(context.get(JwtAuthenticator, { strict: false }));
  });

  it('opens and migrates the embedded SQLite database on start, and closes it on shutdown', async () => {
    const dataSource = context.get<DataSource>(DATA_SOURCE, { strict: false });
    expect(dataSource.isInitialized).toBe(true);
    expect(await dataSource.showMigrations()).toBe(false);
    await context.close();
    expect(dataSource.isInitialized).toBe(false);
  });
});
