import { type DynamicModule, Inject, Injectable, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { HistoryModule } from './history/history.module.js';
import { PersisterModule } from './persister/persister.module.js';
import { RoomMessageHandler } from './room-message.handler.js';
import { TypingHandler } from './typing.handler.js';

@Injectable()
class MessageRoutes implements OnModuleInit {
  constructor(
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(BACKPLANE) private readonly backplane: Backplane,
  ) {}

  onModuleInit(): void {
    this.realtime.appDestinations.register('rooms.{roomId}', new RoomMessageHandler(this.backplane).handle);
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
    return { module: MessagesModule, imports: [realtime, PersisterModule, HistoryModule], providers: [MessageRoutes] };
  }
}
