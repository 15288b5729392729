import { Module } from '@nestjs/common';
import { RevocationsModule } from '../revocations/revocations.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { DESTINATION_AUTHORIZER } from '../realtime/auth/destination-authorizer.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { MEMBERSHIP_CACHE_OPTIONS, MembershipCache, type MembershipCacheOptions } from './membership-cache.js';
import { MembershipsRepository } from './memberships.repository.js';
import { MembershipsService } from './memberships.service.js';
import { RoomDestinationAuthorizer } from './room-destination-authorizer.js';
import { RoomEvents } from './room-events.js';
import { RoomReadStates } from './room-read-states.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsRepository } from './rooms.repository.js';
import { RoomsService } from './rooms.service.js';

/**
 * Rooms, memberships and who may do what in them, plus their REST endpoints.
 * Exports DESTINATION_AUTHORIZER (RoomDestinationAuthorizer), RoomEvents,
 * MembershipsService and RoomReadStates (where read markers plug in unread counts).
 * Needs APP_CONFIG from the global ConfigModule.
 */
@Module({
  imports: [DatabaseModule, RevocationsModule, IdentityModule],
  controllers: [RoomsController],
  providers: [
    {
      provide: MEMBERSHIP_CACHE_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.membershipCache,
    },
    {
      provide: MembershipCache,
      inject: [MEMBERSHIP_CACHE_OPTIONS],
      useFactory: (options: MembershipCacheOptions) => new MembershipCache(options),
    },
    RoomsRepository,
    MembershipsRepository,
    RoomEvents,
    { provide: RoomReadStates, useFactory: () => new RoomReadStates() },
    MembershipsService,
    RoomsService,
    RoomDestinationAuthorizer,
    { provide: DESTINATION_AUTHORIZER, useExisting: RoomDestinationAuthorizer },
  ],
  exports: [
    DESTINATION_AUTHORIZER,
    RoomDestinationAuthorizer,
    RoomEvents,
    MembershipsService,
    MembershipCache,
    RoomReadStates,
  ],
})
export class RoomsModule {}
