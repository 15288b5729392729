import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { BackplaneModule } from '../../backplane/backplane.module.js';
import { BACKPLANE, type Backplane } from '../../backplane/backplane.port.js';
import { DatabaseModule } from '../../database/database.module.js';
import { IdentityModule } from '../../identity/identity.module.js';
import { LOGGER } from '../../ops/logger.js';
import { RoomsModule } from '../../rooms/rooms.module.js';
import { MessageStoreModule } from '../store/message-store.module.js';
import { MESSAGE_STORE, type MessageStore } from '../store/message-store.port.js';
import { HistoryAccess } from './history-access.js';
import { HistoryController } from './history.controller.js';
import { HistoryReader } from './history-reader.js';

/** GET /rooms/{id}/messages: members page through a room's messages, newest first. */
@Module({
  imports: [BackplaneModule, MessageStoreModule, DatabaseModule, IdentityModule, RoomsModule],
  controllers: [HistoryController],
  providers: [
    {
      provide: HistoryReader,
      useFactory: (backplane: Backplane, store: MessageStore, log: Logger) =>
        new HistoryReader(backplane, store, log.child({ layer: 'history' })),
      inject: [BACKPLANE, MESSAGE_STORE, LOGGER],
    },
    HistoryAccess,
  ],
  exports: [HistoryAccess],
})
export class HistoryModule {}
