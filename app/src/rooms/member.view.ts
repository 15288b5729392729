import { ApiProperty } from '../http/openapi-decorators.js';
import { ROOM_ROLES, type MembershipRecord, type RoomRole } from './membership.entity.js';

/** One member of a room, with the public parts of their account. */
export class MemberView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROOM_ROLES }) role!: RoomRole;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
  @ApiProperty({ description: 'Highest message sequence the member has read (read receipts)' }) lastReadSeq!: number;

  static of(membership: MembershipRecord, user: { username: string; displayName: string }): MemberView {
    return {
      userId: membership.userId,
      username: user.username,
      displayName: user.displayName,
      role: membership.role,
      joinedAt: membership.joinedAt.toISOString(),
      lastReadSeq: membership.lastReadSeq,
    };
  }
}
