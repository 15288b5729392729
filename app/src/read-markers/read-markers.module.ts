import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { DatabaseModule } from '../database/database.module.js';
import { LOGGER } from '../ops/logger.js';
import { ShutdownFlushes } from '../ops/shutdown-flushes.js';
import { IdentityModule } from '../identity/identity.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { RoomReadStates } from '../rooms/room-read-states.js';
import { ReadMarkerBuffer } from './read-marker-buffer.js';
import { ReadMarkerFlusher } from './read-marker-flusher.js';
import { ReadMarkersController } from './read-markers.controller.js';
import { ReadMarkersRepository } from './read-markers.repository.js';
import { ReadMarkersService } from './read-markers.service.js';
import { ReadMarkersGateway } from './read-markers.gateway.js';
import { RoomSequences } from './room-sequences.js';

@Injectable()
class ReadMarkersLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  private readonly flusher: ReadMarkerFlusher;

  constructor(
    @Inject(ReadMarkersService) private readonly markers: ReadMarkersService,
    @Inject(ReadMarkerBuffer) buffer: ReadMarkerBuffer,
    @Inject(ReadMarkersRepository) repository: ReadMarkersRepository,
    @Inject(RoomReadStates) private readonly readStates: RoomReadStates,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) log: Logger,
    @Inject(ShutdownFlushes) flushes: ShutdownFlushes,
  ) {
    this.flusher = new ReadMarkerFlusher(
      buffer,
      repository,
      config.readMarkers.flushIntervalMs,
      log.child({ layer: 'read-markers' }),
    );
    flushes.register(() => this.flusher.stop());
  }

  onModuleInit(): void {
    this.readStates.provide((userId, stored) => this.markers.readStates(userId, stored));
    this.flusher.start();
  }

  // The drain has flushed already; this catches reports that came over REST after it, while the
  // database is still open (it closes on application shutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.flusher.stop();
  }
}

/**
 * Read markers: SEND /app/rooms.{id}.read and PUT /rooms/{id}/read, batched into
 * memberships.last_read_seq, and the unread counts GET /rooms shows.
 */
@Module({})
export class ReadMarkersModule {
  static register(realtime: DynamicModule): DynamicModule {
    return {
      module: ReadMarkersModule,
      imports: [realtime, IdentityModule, RoomsModule, DatabaseModule],
      controllers: [ReadMarkersController],
      providers: [
        { provide: ReadMarkerBuffer, useFactory: () => new ReadMarkerBuffer() },
        {
          provide: RoomSequences,
          inject: [BACKPLANE],
          useFactory: (backplane: Backplane) => new RoomSequences(backplane),
        },
        ReadMarkersRepository,
        {
          provide: ReadMarkersService,
          inject: [ReadMarkerBuffer, ReadMarkersRepository, RoomSequences],
          useFactory: (buffer: ReadMarkerBuffer, repository: ReadMarkersRepository, sequences: RoomSequences) =>
            new ReadMarkersService(buffer, repository, sequences),
        },
        ReadMarkersLifecycle,
        ReadMarkersGateway,
      ],
    };
  }
}
