import { UseGuards } from '@nestjs/common';
import { StompGateway, SubscribeMapping } from '../gateways/stomp-gateway.decorators.js';
import { ROOM_DESTINATIONS } from '../rooms/room-destinations.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';

/** Online/offline events of a room's members, on /topic/rooms.{roomId}.presence (members only). */
@StompGateway()
export class PresenceGateway {
  @SubscribeMapping(ROOM_DESTINATIONS.presenceTopic)
  @UseGuards(RoomMemberGuard)
  subscribe(): void {}
}
