import { Inject, UseGuards } from '@nestjs/common';
import { MessageMapping, StompGateway, SubscribeMapping } from '../gateways/stomp-gateway.decorators.js';
import { StompMessage } from '../gateways/stomp-params.decorators.js';
import type { AppSendContext } from '../realtime/app-destinations.js';
import { ROOM_DESTINATIONS } from '../rooms/room-destinations.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';
import { TypingHandler } from './typing.handler.js';

/** Typing indicators: SEND /app/rooms.{roomId}.typing, SUBSCRIBE /topic/rooms.{roomId}.typing (members only). */
@StompGateway()
@UseGuards(RoomMemberGuard)
export class TypingGateway {
  constructor(@Inject(TypingHandler) private readonly typing: TypingHandler) {}

  @SubscribeMapping(ROOM_DESTINATIONS.typingTopic)
  subscribe(): void {}

  @MessageMapping(ROOM_DESTINATIONS.typing)
  send(@StompMessage() message: AppSendContext): Promise<void> {
    return this.typing.handle(message);
  }
}
