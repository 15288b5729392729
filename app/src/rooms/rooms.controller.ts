import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '../http/openapi-decorators.js';
import { UuidParamPipe } from '../http/uuid-param.pipe.js';
import { CurrentPrincipal } from '../identity/current-principal.decorator.js';
import { HttpAuthGuard } from '../identity/http-auth.guard.js';
import type { Principal } from '../realtime/auth/principal.js';
import { AddMemberDto } from './add-member.dto.js';
import { CreateRoomDto } from './create-room.dto.js';
import { MemberView } from './member.view.js';
import { MembershipsService } from './memberships.service.js';
import { PublicRoomsQuery } from './public-rooms.query.js';
import { MyRoomView, RoomView } from './room.view.js';
import { RoomsService } from './rooms.service.js';
import { UpdateRoomDto } from './update-room.dto.js';
import { UserRefDto } from './user-ref.dto.js';

/** Only what this controller needs of the HTTP response. */
interface StatusResponse {
  status(code: number): unknown;
}

@ApiTags('rooms')
@ApiBearerAuth()
@UseGuards(HttpAuthGuard)
@Controller('rooms')
export class RoomsController {
  constructor(
    @Inject(RoomsService) private readonly rooms: RoomsService,
    @Inject(MembershipsService) private readonly memberships: MembershipsService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: RoomView, description: 'The caller is the owner' })
  create(@CurrentPrincipal() me: Principal, @Body() body: CreateRoomDto): Promise<RoomView> {
    return this.rooms.create(me.userId, body);
  }

  @Get()
  @ApiOkResponse({ type: [MyRoomView], description: "The caller's rooms with their role and read marker" })
  listMine(@CurrentPrincipal() me: Principal): Promise<MyRoomView[]> {
    return this.rooms.listMine(me.userId);
  }

  // Declared before ':id' so that 'public' is not taken for a room id.
  @Get('public')
  @ApiOkResponse({ type: [RoomView] })
  listPublic(@CurrentPrincipal() me: Principal, @Query() query: PublicRoomsQuery): Promise<RoomView[]> {
    return this.rooms.listPublic(me.userId, query.limit ?? 50, query.offset ?? 0);
  }

  @Post('direct')
  @ApiCreatedResponse({ type: RoomView, description: 'Created now' })
  @ApiOkResponse({ type: RoomView, description: 'Already existed (from either side)' })
  async openDirect(
    @CurrentPrincipal() me: Principal,
    @Body() body: UserRefDto,
    @Res({ passthrough: true }) response: StatusResponse,
  ): Promise<RoomView> {
    const { room, created } = await this.rooms.openDirect(me.userId, body);
    response.status(created ? 201 : 200);
    return room;
  }

  @Get(':id')
  @ApiOkResponse({ type: RoomView })
  @ApiNotFoundResponse({ description: 'ROOM_NOT_FOUND: no such room, or a private room the caller is not in' })
  get(@CurrentPrincipal() me: Principal, @Param('id', UuidParamPipe) id: string): Promise<RoomView> {
    return this.rooms.get(me.userId, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: RoomView })
  @ApiForbiddenResponse({ description: 'AUTH_FORBIDDEN: owner or admins only' })
  update(
    @CurrentPrincipal() me: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateRoomDto,
  ): Promise<RoomView> {
    return this.rooms.update(me.userId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'AUTH_FORBIDDEN: owner only' })
  async delete(@CurrentPrincipal() me: Principal, @Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.rooms.delete(me.userId, id);
  }

  @Post(':id/join')
  @HttpCode(200)
  @ApiOkResponse({ type: RoomView, description: 'Public rooms only; joining again is harmless' })
  async join(@CurrentPrincipal() me: Principal, @Param('id', UuidParamPipe) id: string): Promise<RoomView> {
    await this.memberships.join(me.userId, id);
    return this.rooms.get(me.userId, id);
  }

  @Post(':id/leave')
  @HttpCode(204)
  @ApiNoContentResponse()
  async leave(@CurrentPrincipal() me: Principal, @Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.memberships.leave(me.userId, id);
  }

  @Get(':id/members')
  @ApiOkResponse({ type: [MemberView] })
  members(@CurrentPrincipal() me: Principal, @Param('id', UuidParamPipe) id: string): Promise<MemberView[]> {
    return this.memberships.list(me.userId, id);
  }

  @Post(':id/members')
  @ApiCreatedResponse({ type: MemberView })
  @ApiForbiddenResponse({ description: 'AUTH_FORBIDDEN: owner or admins only; only the owner adds admins' })
  addMember(
    @CurrentPrincipal() me: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AddMemberDto,
  ): Promise<MemberView> {
    return this.memberships.add(me.userId, id, { userId: body.userId, username: body.username }, body.role);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeMember(
    @CurrentPrincipal() me: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Param('userId', UuidParamPipe) userId: string,
  ): Promise<void> {
    await this.memberships.remove(me.userId, id, userId);
  }
}
