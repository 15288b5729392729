import { type DynamicModule, Module } from '@nestjs/common';
import { AccessModule } from './access/access.module.js';
import { AnnouncementsModule } from './announcements/announcements.module.js';
import { APP_TABLES } from './app-tables.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { TablesModule } from './database/tables.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { MessagesModule } from './messages/messages.module.js';
import { ROOM_RESERVED_HEADERS } from './messages/room-message-wire.js';
import { DrainModule } from './ops/drain.module.js';
import { OpsModule } from './ops/ops.module.js';
import { PresenceModule } from './presence/presence.module.js';
import { ReactionsModule } from './reactions/reactions.module.js';
import { ReadMarkersModule } from './read-markers/read-markers.module.js';
import { DevAuthModule } from './realtime/auth/dev-auth.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { RoomsModule } from './rooms/rooms.module.js';
import { WebUiModule } from './web/web-ui.module.js';

/** The whole service, assembled from a validated config. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    // The REST API (accounts, rooms) is always there; AUTH_DEV_ACCEPT_ANY only swaps who
    // may open a STOMP session (tests and benchmarks; refused in production).
    // The JWT authenticator (identity) and the room authorizer (rooms).
    const roomAuth = [IdentityModule, RoomsModule];
    const realtime = RealtimeModule.register(
      config.auth.devAcceptAny ? [DevAuthModule] : roomAuth,
      ROOM_RESERVED_HEADERS,
    );
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        OpsModule,
        TablesModule.forRoot(APP_TABLES),
        DatabaseModule,
        ...roomAuth,
        realtime,
        // Listed before the features: at shutdown Nest then runs their hooks before the drain's,
        // as it did when the drain was part of the realtime module.
        DrainModule.register(realtime),
        MessagesModule.register(realtime),
        PresenceModule.register(realtime),
        ReadMarkersModule.register(realtime),
        AccessModule.register(realtime),
        ReactionsModule.register(realtime),
        AnnouncementsModule.register(realtime),
        WebUiModule,
      ],
    };
  }
}
