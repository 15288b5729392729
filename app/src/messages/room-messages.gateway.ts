import { Inject, UseGuards } from '@nestjs/common';
import { MessageMapping, StompGateway, SubscribeMapping } from '../gateways/stomp-gateway.decorators.js';
import { StompMessage } from '../gateways/stomp-params.decorators.js';
import type { AppSendContext, SendReply } from '../realtime/app-destinations.js';
import { ROOM_DESTINATIONS } from '../rooms/room-destinations.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';
import { RoomMessageHandler } from './room-message.handler.js';

/** The room's message topic, and SEND /app/rooms.{roomId} to post to it (members only). */
@StompGateway()
@UseGuards(RoomMemberGuard)
export class RoomMessagesGateway {
  constructor(@Inject(RoomMessageHandler) private readonly messages: RoomMessageHandler) {}

  @SubscribeMapping(ROOM_DESTINATIONS.messagesTopic)
  subscribe(): void {}

  // The whole frame goes to the handler as one argument: this is the hot path, and every
  // extra parameter decorator costs a context object and a pipe run per message.
  @MessageMapping(ROOM_DESTINATIONS.send)
  send(@StompMessage() message: AppSendContext): Promise<SendReply> {
    return this.messages.handle(message);
  }
}
