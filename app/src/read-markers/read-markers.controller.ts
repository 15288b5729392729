import { Body, Controller, Inject, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '../http/openapi-decorators.js';
import { UuidParamPipe } from '../http/uuid-param.pipe.js';
import { CurrentPrincipal } from '../identity/current-principal.decorator.js';
import { HttpAuthGuard } from '../identity/http-auth.guard.js';
import type { Principal } from '../realtime/auth/principal.js';
import { ReadMarkerDto } from './read-marker.dto.js';
import { ReadMarkerView } from './read-marker.view.js';
import { ReadMarkersService } from './read-markers.service.js';

@ApiTags('rooms')
@ApiBearerAuth()
@UseGuards(HttpAuthGuard)
@Controller('rooms')
export class ReadMarkersController {
  constructor(@Inject(ReadMarkersService) private readonly markers: ReadMarkersService) {}

  @Put(':id/read')
  @ApiOkResponse({ type: ReadMarkerView })
  @ApiForbiddenResponse({ description: 'AUTH_FORBIDDEN: not a member (or no such room)' })
  markRead(
    @CurrentPrincipal() me: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReadMarkerDto,
  ): Promise<ReadMarkerView> {
    return this.markers.markRead(me.userId, id, body.seq);
  }
}
