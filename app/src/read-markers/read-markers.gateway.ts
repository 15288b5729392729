import { Inject, UseGuards } from '@nestjs/common';
import { MessageMapping, StompGateway } from '../gateways/stomp-gateway.decorators.js';
import { DestinationParam, JsonBody, SessionPrincipal } from '../gateways/stomp-params.decorators.js';
import type { Principal } from '../realtime/auth/principal.js';
import { ROOM_DESTINATIONS } from '../rooms/room-destinations.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';
import { ReadMarkerDto } from './read-marker.dto.js';
import { ReadMarkersService } from './read-markers.service.js';

/**
 * SEND /app/rooms.{roomId}.read with body `{"seq": N}`: the sender has read the room up to N
 * (members only). A RECEIPT means the marker was accepted; it reaches the database with the
 * next flush.
 */
@StompGateway()
export class ReadMarkersGateway {
  constructor(@Inject(ReadMarkersService) private readonly markers: ReadMarkersService) {}

  @MessageMapping(ROOM_DESTINATIONS.read)
  @UseGuards(RoomMemberGuard)
  async read(
    @SessionPrincipal() principal: Principal,
    @DestinationParam('roomId') roomId: string,
    @JsonBody() marker: ReadMarkerDto,
  ): Promise<void> {
    await this.markers.report(principal.userId, roomId, marker.seq);
  }
}
