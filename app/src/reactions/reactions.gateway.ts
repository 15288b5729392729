import { Inject, UseGuards } from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import { MessageMapping, StompGateway } from '../gateways/stomp-gateway.decorators.js';
import { DestinationParam, JsonBody, SessionPrincipal } from '../gateways/stomp-params.decorators.js';
import type { SendReply } from '../realtime/app-destinations.js';
import type { Principal } from '../realtime/auth/principal.js';
import { roomTopic, ROOM_DESTINATIONS } from '../rooms/room-destinations.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';
import { ReactionDto } from './reaction.dto.js';

/**
 * The example of docs/gateways.md: SEND /app/rooms.{roomId}.reactions `{"seq": 12, "emoji": "👍"}`
 * puts a reaction event on the room topic. Members only; live only (not stored, no x-seq).
 */
@StompGateway()
export class ReactionsGateway {
  constructor(@Inject(BACKPLANE) private readonly backplane: Backplane) {}

  @MessageMapping(ROOM_DESTINATIONS.reactions)
  @UseGuards(RoomMemberGuard)
  async react(
    @SessionPrincipal() principal: Principal,
    @DestinationParam('roomId') roomId: string,
    @JsonBody() reaction: ReactionDto,
  ): Promise<SendReply> {
    const event = { type: 'reaction', roomId, seq: reaction.seq, emoji: reaction.emoji, userId: principal.userId };
    await this.backplane.publish({
      destination: roomTopic(roomId),
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(event)),
      ephemeral: true,
    });
    return { receiptHeaders: [['x-reaction', reaction.emoji]] };
  }
}
