import { ApiProperty, ApiPropertyOptional } from '../http/openapi-decorators.js';
import { ROOM_ROLES, type MembershipRecord, type RoomRole } from './membership.entity.js';
import type { RoomReadState } from './room-read-states.js';
import { ROOM_KINDS, type RoomKind, type RoomRecord } from './room.entity.js';

/** A room as its viewer sees it, with the viewer's own role. */
export class RoomView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ROOM_KINDS }) kind!: RoomKind;
  @ApiProperty({ type: String, nullable: true, description: 'Null for direct rooms' }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) topic!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    enum: ROOM_ROLES,
    nullable: true,
    description: "The caller's role; null when not a member (public rooms)",
  })
  role!: RoomRole | null;

  static of(room: RoomRecord, role: RoomRole | null): RoomView {
    return {
      id: room.id,
      kind: room.kind,
      name: room.name,
      topic: room.topic,
      createdBy: room.createdBy,
      createdAt: room.createdAt.toISOString(),
      updatedAt: room.updatedAt.toISOString(),
      role,
    };
  }
}

/** A room in the caller's own list: always a member, with their read marker and unread count. */
export class MyRoomView extends RoomView {
  @ApiPropertyOptional({ description: 'Highest message sequence the caller has read' }) lastReadSeq!: number;
  @ApiPropertyOptional({ description: "The room's latest message sequence minus lastReadSeq" }) unreadCount?: number;

  static ofMembership(room: RoomRecord, membership: MembershipRecord, readState?: RoomReadState): MyRoomView {
    return {
      ...RoomView.of(room, membership.role),
      lastReadSeq: readState?.lastReadSeq ?? membership.lastReadSeq,
      ...(readState === undefined ? {} : { unreadCount: readState.unreadCount }),
    };
  }
}
