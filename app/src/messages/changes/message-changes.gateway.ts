import { Inject, UseGuards } from '@nestjs/common';
import { MessageMapping, StompGateway } from '../../gateways/stomp-gateway.decorators.js';
import { StompMessage } from '../../gateways/stomp-params.decorators.js';
import type { AppSendContext, SendReply } from '../../realtime/app-destinations.js';
import { ROOM_DESTINATIONS } from '../../rooms/room-destinations.js';
import { RoomMemberGuard } from '../../rooms/room-member.guard.js';
import { MessageChangeHandler } from './message-change.handler.js';

/** SEND /app/rooms.{roomId}.edit and .delete (members only; who may change what: change-rules.ts). */
@StompGateway()
@UseGuards(RoomMemberGuard)
export class MessageChangesGateway {
  constructor(@Inject(MessageChangeHandler) private readonly changes: MessageChangeHandler) {}

  @MessageMapping(ROOM_DESTINATIONS.edit)
  edit(@StompMessage() message: AppSendContext): Promise<SendReply> {
    return this.changes.edit(message);
  }

  @MessageMapping(ROOM_DESTINATIONS.delete)
  delete(@StompMessage() message: AppSendContext): Promise<SendReply> {
    return this.changes.delete(message);
  }
}
