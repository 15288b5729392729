import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { RoomsModule } from './rooms.module.js';

/**
 * What the realtime layer needs in one import: `RealtimeModule.register(RealtimeAuthModule)`
 * gets AUTHENTICATOR (JwtAuthenticator) and DESTINATION_AUTHORIZER
 * (RoomDestinationAuthorizer), plus IdentityEvents, RoomEvents and MembershipsService.
 * It re-exports the two feature modules, so their providers stay single instances.
 */
@Module({
  imports: [IdentityModule, RoomsModule],
  exports: [IdentityModule, RoomsModule],
})
export class RealtimeAuthModule {}
