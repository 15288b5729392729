import { Body, Controller, Delete, HttpCode, Inject, Param, Patch, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '../../http/openapi-decorators.js';
import { UuidParamPipe } from '../../http/uuid-param.pipe.js';
import { CurrentPrincipal } from '../../identity/current-principal.decorator.js';
import { HttpAuthGuard } from '../../identity/http-auth.guard.js';
import type { Principal } from '../../realtime/auth/principal.js';
import { HistoryAccess } from '../history/history-access.js';
import { MessageView } from '../history/message.view.js';
import type { MessageEventKind } from '../store/stored-message.js';
import { EditMessageDto } from './edit-message.dto.js';
import { MessageChanges } from './message-changes.js';
import { SeqParamPipe } from './seq-param.pipe.js';

const NOT_FOUND =
  'ROOM_NOT_FOUND: no such room, or a private room the caller is not in; MESSAGE_NOT_FOUND: no message with that seq';
const FORBIDDEN =
  "AUTH_FORBIDDEN: a public room the caller has not joined, or someone else's message and not a moderator";
const CONFLICT = 'MESSAGE_NOT_EDITABLE: the seq is an edit or delete event; MESSAGE_DELETED: the message is deleted';
const UNAVAILABLE = 'MESSAGE_UNAVAILABLE: the message is older than the replay log and the message store is down';

/**
 * PATCH and DELETE /rooms/{id}/messages/{seq}: the REST side of SEND …edit / …delete, with the
 * same rules (MessageChanges). The answer is the event that was published, as history shows it.
 */
@ApiTags('messages')
@ApiBearerAuth()
@UseGuards(HttpAuthGuard)
@Controller('rooms')
export class MessageChangesController {
  constructor(
    @Inject(HistoryAccess) private readonly access: HistoryAccess,
    @Inject(MessageChanges) private readonly changes: MessageChanges,
  ) {}

  @Patch(':id/messages/:seq')
  @ApiOkResponse({ type: MessageView, description: 'The edit event (kind "edit"), with its own seq' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiConflictResponse({ description: CONFLICT })
  @ApiServiceUnavailableResponse({ description: UNAVAILABLE })
  edit(
    @CurrentPrincipal() me: Principal,
    @Param('id', UuidParamPipe) roomId: string,
    @Param('seq', SeqParamPipe) seq: number,
    @Body() body: EditMessageDto,
  ): Promise<MessageView> {
    return this.change('edit', me, roomId, seq, Buffer.from(body.body, 'utf8'));
  }

  @Delete(':id/messages/:seq')
  @HttpCode(200)
  @ApiOkResponse({ type: MessageView, description: 'The delete event (kind "delete"), with its own seq' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiConflictResponse({ description: CONFLICT })
  @ApiServiceUnavailableResponse({ description: UNAVAILABLE })
  delete(
    @CurrentPrincipal() me: Principal,
    @Param('id', UuidParamPipe) roomId: string,
    @Param('seq', SeqParamPipe) seq: number,
  ): Promise<MessageView> {
    return this.change('delete', me, roomId, seq);
  }

  private async change(
    action: MessageEventKind,
    me: Principal,
    roomId: string,
    targetSeq: number,
    body?: Buffer,
  ): Promise<MessageView> {
    const role = await this.access.assertCanRead(me.userId, roomId);
    const event = await this.changes.change({ action, roomId, targetSeq, changer: me, role, body });
    return MessageView.of(event);
  }
}
