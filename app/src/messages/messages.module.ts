import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MembershipsService } from '../rooms/memberships.service.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { MessageChangeHandler } from './changes/message-change.handler.js';
import { MessageChangesGateway } from './changes/message-changes.gateway.js';
import { MessageChanges } from './changes/message-changes.js';
import { MessageChangesController } from './changes/message-changes.controller.js';
import { SequenceFloors } from './sequence-floors.js';
import { MessageStoreModule } from './store/message-store.module.js';
import { MESSAGE_STORE, type MessageStore } from './store/message-store.port.js';
import { HistoryModule } from './history/history.module.js';
import { PersisterModule } from './persister/persister.module.js';
import { RoomMessageHandler } from './room-message.handler.js';
import { RoomMessagesGateway } from './room-messages.gateway.js';
import { TypingHandler } from './typing.handler.js';
import { TypingGateway } from './typing.gateway.js';

/**
 * Room messages: the gateways of the destinations clients send chat messages, typing, edits and deletions to (and
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
        {
          provide: RoomMessageHandler,
          inject: [BACKPLANE, SequenceFloors],
          useFactory: (backplane: Backplane, floors: SequenceFloors) => new RoomMessageHandler(backplane, floors),
        },
        {
          provide: TypingHandler,
          inject: [BACKPLANE],
          useFactory: (backplane: Backplane) => new TypingHandler(backplane),
        },
        {
          provide: MessageChangeHandler,
          inject: [MessageChanges, MembershipsService],
          useFactory: (changes: MessageChanges, memberships: MembershipsService) =>
            new MessageChangeHandler(changes, (roomId, userId) => memberships.freshRoleOf(roomId, userId)),
        },
        RoomMessagesGateway,
        TypingGateway,
        MessageChangesGateway,
      ],
    };
  }
}
