import { type DynamicModule, Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { AnnouncementsGateway } from './announcements.gateway.js';

/**
 * Room announcements by moderators. `realtime` brings BACKPLANE and RoomMemberGuard's
 * authorizer; RoomsModule brings the memberships RoomModeratorGuard reads roles from.
 */
@Module({})
export class AnnouncementsModule {
  static register(realtime: DynamicModule): DynamicModule {
    return { module: AnnouncementsModule, imports: [realtime, RoomsModule], providers: [AnnouncementsGateway] };
  }
}
