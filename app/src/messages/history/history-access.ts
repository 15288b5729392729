import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../../database/database.tokens.js';
import { AppError } from '../../errors/app-error.js';
import type { RoomRole } from '../../rooms/membership.entity.js';
import { MembershipsService } from '../../rooms/memberships.service.js';
import { RoomEntity } from '../../rooms/room.entity.js';

/**
 * Only members reach a room's messages, to read (history) or to change them (edit, delete).
 * Everyone else is told what the rooms API tells them: a private or direct room (or an unknown
 * id) does not exist (404 ROOM_NOT_FOUND, so ids cannot be probed); a public room exists, but
 * its messages are for members (403 AUTH_FORBIDDEN: join it first). Membership is read fresh
 * from the database, like the rooms API's own decisions; the member's role is returned for the
 * decisions that depend on it.
 */
@Injectable()
export class HistoryAccess {
  constructor(
    @Inject(MembershipsService) private readonly memberships: MembershipsService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async assertCanRead(userId: string, roomId: string): Promise<RoomRole> {
    const role = await this.memberships.freshRoleOf(roomId, userId);
    if (role !== null) return role;
    const room = await this.dataSource
      .getRepository(RoomEntity)
      .findOne({ where: { id: roomId }, select: { id: true, kind: true } });
    if (room?.kind === 'public') throw new AppError('AUTH_FORBIDDEN', 'join the room to read its messages');
    throw new AppError('ROOM_NOT_FOUND', 'room not found');
  }
}
