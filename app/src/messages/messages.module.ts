import { type DynamicModule, Inject, Injectable, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { IdentityModule } from '../identity/identity.module.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { MembershipsService } from '../rooms/memberships.service.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { MessageChangeHandler } from './changes/message-change.handler.js';
import { MessageChanges } from './changes/message-changes.js';
import { MessageChangesController } from './changes/message-changes.controller.js';
import { SequenceFloors } from './sequence-floors.js';
import { MessageStoreModule } from './store/message-store.module.js';
import { MESSAGE_STORE, type MessageStore } from './store/message-store.port.js';
import { HistoryModule } from './history/history.module.js';
import { PersisterModule } from './persister/persister.module.js';
import { RoomMessageHandler } from './room-message.handler.js';
import { TypingHandler } from './typing.handler.js';

@Injectable()
class MessageRoutes implements OnModuleInit {
  constructor(
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(BACKPLANE) private readonly backplane: Backplane,
    @Inject(SequenceFloors) private readonly floors: SequenceFloors,
    @Inject(MessageChanges) private readonly changes: MessageChanges,
    @Inject(MembershipsService) private readonly memberships: MembershipsService,
  ) {}

  onModuleInit(): void {
    const destinations = this.realtime.appDestinations;
    destinations.register('rooms.{roomId}', new RoomMessageHandler(this.backplane, this.floors).handle);
    destinations.register('rooms.{roomId}.typing', new TypingHandler(this.backplane).handle);
    const changes = new MessageChangeHandler(this.changes, (roomId, userId) =>
      this.memberships.freshRoleOf(roomId, userId),
    );
    destinations.register('rooms.{roomId}.edit', changes.edit);
    destinations.register('rooms.{roomId}.delete', changes.delete);
  }
}

/**
 * Room messages: the /app destinations clients send chat messages, edits and deletions to (and
 * the REST endpoints for edits and deletions), the write-behind persister that stores them, and
 * the history API that reads them back. One SequenceFloors serves every publisher of room topics.
 */
@Module({})
export class MessagesModule {
  static register(realtime: DynamicModule | Type): DynamicModule {
    return {
      module: MessagesModule,
      imports: [realtime, MessageStoreModule, PersisterModule, HistoryModule, RoomsModule, IdentityModule],
      controllers: [MessageChangesController],
      providers: [
        {
          provide: SequenceFloors,
          inject: [MESSAGE_STORE, APP_CONFIG],
          useFactory: (store: MessageStore, config: AppConfig) =>
            new SequenceFloors(
              async (roomId) => (await store.page(roomId, { limit: 1 }))[0]?.seq ?? 0,
              config.messages.storeTimeoutMs,
            ),
        },
        {
          provide: MessageChanges,
          inject: [BACKPLANE, MESSAGE_STORE, SequenceFloors, APP_CONFIG],
          useFactory: (backplane: Backplane, store: MessageStore, floors: SequenceFloors, config: AppConfig) =>
            new MessageChanges(backplane, store, floors, config.messages.storeTimeoutMs),
        },
        MessageRoutes,
      ],
    };
  }
}
