import { Inject, UseGuards } from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import { MessageMapping, StompGateway, SubscribeMapping } from '../gateways/stomp-gateway.decorators.js';
import { DestinationParam, JsonBody, SessionPrincipal } from '../gateways/stomp-params.decorators.js';
import type { Principal } from '../realtime/auth/principal.js';
import { announcementsTopic, ROOM_DESTINATIONS } from '../rooms/room-destinations.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';
import { RoomModeratorGuard } from '../rooms/room-moderator.guard.js';
import { AnnouncementDto } from './announcement.dto.js';

/**
 * Room announcements: the owner and admins SEND /app/rooms.{roomId}.announce `{"text": "…"}`,
 * every member subscribed to /topic/rooms.{roomId}.announcements gets it at once. Live only,
 * like typing (no x-seq, not stored): it is a broadcast to who is there now; what must stay is
 * the room's topic (PATCH /rooms/{id}). Any member may listen; RoomModeratorGuard, after the
 * membership check, decides who may speak, from the role read fresh.
 */
@StompGateway()
@UseGuards(RoomMemberGuard)
export class AnnouncementsGateway {
  constructor(@Inject(BACKPLANE) private readonly backplane: Backplane) {}

  @SubscribeMapping(ROOM_DESTINATIONS.announcementsTopic)
  subscribe(): void {}

  @MessageMapping(ROOM_DESTINATIONS.announce)
  @UseGuards(RoomModeratorGuard)
  async announce(
    @SessionPrincipal() principal: Principal,
    @DestinationParam('roomId') roomId: string,
    @JsonBody() announcement: AnnouncementDto,
  ): Promise<void> {
    const event = {
      type: 'announcement',
      roomId,
      text: announcement.text,
      userId: principal.userId,
      username: principal.username,
      at: new Date().toISOString(),
    };
    await this.backplane.publish({
      destination: announcementsTopic(roomId),
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(event)),
      ephemeral: true,
    });
  }
}
