import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '../http/openapi-decorators.js';
import { AppError } from '../errors/app-error.js';
import { UuidParamPipe } from '../http/uuid-param.pipe.js';
import { CurrentPrincipal } from '../identity/current-principal.decorator.js';
import { HttpAuthGuard } from '../identity/http-auth.guard.js';
import type { Principal } from '../realtime/auth/principal.js';
import { MembershipsService } from '../rooms/memberships.service.js';
import { PRESENCE_REGISTRY, type PresenceRegistry } from './presence-registry.port.js';
import { RoomPresenceView } from './room-presence.view.js';

@ApiTags('rooms')
@ApiBearerAuth()
@UseGuards(HttpAuthGuard)
@Controller('rooms')
export class PresenceController {
  constructor(
    @Inject(MembershipsService) private readonly memberships: MembershipsService,
    @Inject(PRESENCE_REGISTRY) private readonly registry: PresenceRegistry,
  ) {}

  @Get(':id/presence')
  @ApiOkResponse({ type: RoomPresenceView })
  @ApiNotFoundResponse({ description: 'ROOM_NOT_FOUND: no such room, or a private room the caller is not in' })
  @ApiForbiddenResponse({ description: 'AUTH_FORBIDDEN: a public room the caller is not in' })
  async presence(@CurrentPrincipal() me: Principal, @Param('id', UuidParamPipe) id: string): Promise<RoomPresenceView> {
    // The members list applies the rooms API's visibility rule (404 for hidden rooms) ...
    const members = await this.memberships.list(me.userId, id);
    // ... but anyone may list a public room's members; who is online there is for members.
    if (!members.some((member) => member.userId === me.userId)) {
      throw new AppError('AUTH_FORBIDDEN', 'you are not a member of this room');
    }
    const online = await this.registry.online(members.map((member) => member.userId));
    return {
      roomId: id,
      online: members
        .filter((member) => online.has(member.userId))
        .map(({ userId, username, displayName }) => ({ userId, username, displayName })),
    };
  }
}
