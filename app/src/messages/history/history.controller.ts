import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import { HistoryAccess } from './history-access.js';
import { HISTORY_DEFAULT_LIMIT, HistoryReader } from './history-reader.js';
import { MessageHistoryQuery } from './message-history.query.js';
import { MessagePageView, MessageView } from './message.view.js';

@ApiTags('messages')
@ApiBearerAuth()
@UseGuards(HttpAuthGuard)
@Controller('rooms')
export class HistoryController {
  constructor(
    @Inject(HistoryAccess) private readonly access: HistoryAccess,
    @Inject(HistoryReader) private readonly history: HistoryReader,
  ) {}

  @Get(':id/messages')
  @ApiOkResponse({ type: MessagePageView, description: 'Newest first; follow nextBefore for older pages' })
  @ApiNotFoundResponse({ description: 'ROOM_NOT_FOUND: no such room, or a private room the caller is not in' })
  @ApiForbiddenResponse({ description: 'AUTH_FORBIDDEN: a public room the caller has not joined' })
  @ApiServiceUnavailableResponse({
    description: 'HISTORY_UNAVAILABLE: the page needs the message store, which is down',
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @Param('id', UuidParamPipe) roomId: string,
    @Query() query: MessageHistoryQuery,
  ): Promise<MessagePageView> {
    await this.access.assertCanRead(me.userId, roomId);
    const page = await this.history.page(roomId, {
      before: query.before,
      after: query.after,
      limit: query.limit ?? HISTORY_DEFAULT_LIMIT,
    });
    return { messages: page.messages.map((message) => MessageView.of(message)), nextBefore: page.nextBefore };
  }
}
