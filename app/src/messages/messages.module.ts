import { type DynamicModule, Inject, Injectable, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { SequenceFloors } from './sequence-floors.js';
import { MessageStoreModule } from './store/message-store.module.js';
import { MESSAGE_STORE, type MessageStore } from './store/message-store.port.js';
import { HistoryModule } from './history/history.module.js';
import { PersisterModule } from './persister/persister.module.js';
import { RoomMessageHandler, roomTopic } from './room-message.handler.js';
import { TypingHandler } from './typing.handler.js';

@Injectable()
class MessageRoutes implements OnModuleInit {
  constructor(
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(BACKPLANE) private readonly backplane: Backplane,
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
  ) {}

  onModuleInit(): void {
    const floors = new SequenceFloors(
      this.backplane,
      async (roomId) => (await this.store.page(roomId, { limit: 1 }))[0]?.seq ?? 0,
      roomTopic,
      this.realtime.log,
    );
    this.realtime.appDestinations.register('rooms.{roomId}', new RoomMessageHandler(this.backplane, floors).handle);
    this.realtime.appDestinations.register('rooms.{roomId}.typing', new TypingHandler(this.backplane).handle);
  }
}

/**
 * Room messages: the /app destinations clients send chat messages to, the write-behind
 * persister that stores them, and the history API that reads them back.
 */
@Module({})
export class MessagesModule {
  static register(realtime: DynamicModule | Type): DynamicModule {
    return { module: MessagesModule, imports: [realtime, MessageStoreModule, PersisterModule, HistoryModule], providers: [MessageRoutes] };
  }
}
